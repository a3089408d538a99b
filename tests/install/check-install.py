#!/usr/bin/env python3
# check-install.py BUILD_DIR SOURCE_DIR PREFIX BINDIR DATADIR LOCALEDIR APP_ID URI_SCHEME SERVER
# Copyright 2026 The CARS Mechanic authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Installs the current build into a temporary DESTDIR (never the real prefix,
# never rebuilding) and checks that every file a desktop needs lands where
# GNOME looks for it, with the contents that make D-Bus activation, the link
# scheme and the translations work. Prints TAP.
import configparser
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

(build_dir, source_dir, prefix, bindir, datadir, localedir,
 app_id, uri_scheme, server) = sys.argv[1:10]
have_server = server == "true"

count = 0
failures = 0


def check(ok, message, detail=None):
    global count, failures
    count += 1
    print("%s %d - %s" % ("ok" if ok else "not ok", count, message))
    if not ok:
        failures += 1
        if detail:
            for line in str(detail).rstrip().splitlines():
                print("# " + line)
    return ok


def run(argv, **kwargs):
    return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, **kwargs)


def under_prefix(path):
    # meson gives bindir, datadir and localedir relative to the prefix, or absolute.
    return path if os.path.isabs(path) else os.path.join(prefix, path)


def staged(path):
    # The same file inside DESTDIR: DESTDIR + an absolute path.
    return os.path.join(destdir, under_prefix(path).lstrip("/"))


tmp = tempfile.mkdtemp(prefix="cm-install-")
try:
    destdir = os.path.join(tmp, "root")

    # --no-rebuild: a test must not build (other targets may be half-done);
    # --destdir: the real prefix is never touched.
    meson = os.environ.get("MESON", "meson")
    result = run([meson, "install", "-C", build_dir, "--no-rebuild", "--quiet",
                  "--destdir", destdir])
    if not check(result.returncode == 0, "meson install --destdir succeeds", result.stdout):
        print("1..%d" % count)
        sys.exit(1)

    # Nothing may land outside the prefix.
    prefix_root = staged(prefix)
    outside = []
    for root, dirs, files in os.walk(destdir):
        for name in files:
            path = os.path.join(root, name)
            if os.path.commonpath([path, prefix_root]) != prefix_root:
                outside.append(os.path.relpath(path, destdir))
    check(not outside, "every installed file is under the prefix %s" % prefix,
          "\n".join(outside))

    bin_dir = staged(bindir)
    share = staged(datadir)
    app_path = os.path.join(under_prefix(bindir), "cars-mechanic")

    programs = ["cars-mechanic"] + (["cars-mechanic-server"] if have_server else [])
    for program in programs:
        path = os.path.join(bin_dir, program)
        check(os.path.isfile(path) and os.access(path, os.X_OK),
              "%s/%s is installed and executable" % (bindir, program))
    if have_server:
        # Practice mode starts the installed server by its full path (src/app/cm-practice.c).
        server_path = os.path.join(under_prefix(bindir), "cars-mechanic-server")
        with open(os.path.join(bin_dir, "cars-mechanic"), "rb") as app_binary:
            check(server_path.encode() + b"\0" in app_binary.read(),
                  "the app starts its practice back-end from %s" % server_path)

    # The desktop entry: named after the app id (DBusActivatable needs that),
    # valid, and wired for links and start-up notification.
    desktop = os.path.join(share, "applications", app_id + ".desktop")
    if check(os.path.isfile(desktop), "share/applications/%s.desktop" % app_id):
        result = run(["desktop-file-validate", desktop])
        check(result.returncode == 0 and "error" not in result.stdout.lower(),
              "the installed desktop file validates", result.stdout)
        entry = configparser.ConfigParser(interpolation=None, strict=False)
        entry.optionxform = str
        entry.read(desktop, encoding="utf-8")
        section = entry["Desktop Entry"] if entry.has_section("Desktop Entry") else {}
        exec_line = section.get("Exec", "")
        check(exec_line.split()[:1] == ["cars-mechanic"] and "%u" in exec_line.split(),
              "Exec runs cars-mechanic with %%u (got %r)" % exec_line)
        mime = [m for m in section.get("MimeType", "").split(";") if m]
        check("x-scheme-handler/" + uri_scheme in mime,
              "MimeType has x-scheme-handler/%s (got %r)" % (uri_scheme, mime))
        check(section.get("DBusActivatable") == "true", "DBusActivatable=true")
        check(section.get("StartupNotify") == "true", "StartupNotify=true")
        check(section.get("Icon") == app_id, "Icon is the app id")

    # The D-Bus service that DBusActivatable=true and the link handler rely on.
    service = os.path.join(share, "dbus-1", "services", app_id + ".service")
    if check(os.path.isfile(service), "share/dbus-1/services/%s.service" % app_id):
        entry = configparser.ConfigParser(interpolation=None, strict=False)
        entry.optionxform = str
        entry.read(service, encoding="utf-8")
        section = entry["D-BUS Service"] if entry.has_section("D-BUS Service") else {}
        check(section.get("Name") == app_id, "the service's Name is the app id")
        expected = app_path + " --gapplication-service"
        check(section.get("Exec") == expected,
              "the service's Exec is %r (got %r)" % (expected, section.get("Exec")))

    # AppStream metainfo under the app id, pointing at the desktop file.
    metainfo = os.path.join(share, "metainfo", app_id + ".metainfo.xml")
    if check(os.path.isfile(metainfo), "share/metainfo/%s.metainfo.xml" % app_id):
        root = ET.parse(metainfo).getroot()
        check(root.findtext("id") == app_id, "the metainfo id is the app id")
        launchable = root.find("launchable")
        check(launchable is not None and launchable.text == app_id + ".desktop",
              "the metainfo launches %s.desktop" % app_id)
        images = [i.text for i in root.iter("image")]
        missing = [u for u in images
                   if not os.path.isfile(os.path.join(
                       source_dir, "data", "screenshots", os.path.basename(u or "")))]
        check(images and not missing,
              "every metainfo screenshot is a file in data/screenshots/", "\n".join(missing))
        result = run(["appstreamcli", "validate", "--pedantic", "--no-net", metainfo])
        check(result.returncode == 0, "the installed metainfo validates", result.stdout)

    # GSettings: the schema where GLib looks, and it compiles strictly.
    schemas = os.path.join(share, "glib-2.0", "schemas")
    if check(os.path.isfile(os.path.join(schemas, app_id + ".gschema.xml")),
             "share/glib-2.0/schemas/%s.gschema.xml" % app_id):
        compiled = os.path.join(tmp, "compiled")
        os.mkdir(compiled)
        result = run(["glib-compile-schemas", "--strict", "--targetdir", compiled, schemas])
        check(result.returncode == 0, "glib-compile-schemas --strict accepts the installed schemas",
              result.stdout)

    # Icons in the hicolor theme, under the app id.
    icons = os.path.join(share, "icons", "hicolor")
    for relative in ("scalable/apps/%s.svg" % app_id, "symbolic/apps/%s-symbolic.svg" % app_id):
        path = os.path.join(icons, relative)
        ok = os.path.isfile(path)
        if ok:
            ok = ET.parse(path).getroot().tag == "{http://www.w3.org/2000/svg}svg"
        check(ok, "share/icons/hicolor/%s is an SVG" % relative)

    # One catalogue per language in po/LINGUAS, read now: translators add languages.
    languages = []
    with open(os.path.join(source_dir, "po", "LINGUAS"), encoding="utf-8") as linguas:
        for line in linguas:
            languages += line.split("#", 1)[0].split()
    for language in languages:
        mo = os.path.join(staged(localedir), language, "LC_MESSAGES", "cars-mechanic.mo")
        check(os.path.isfile(mo), "the %s catalogue is installed as %s" %
              (language, os.path.relpath(mo, destdir)))
    if not languages:
        print("# po/LINGUAS lists no language yet: no catalogue to look for")

    print("1..%d" % count)
finally:
    shutil.rmtree(tmp, ignore_errors=True)

sys.exit(1 if failures else 0)
