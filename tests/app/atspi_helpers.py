# atspi_helpers.py
#
# Copyright 2026 The CARS Mechanic authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# What every end-to-end script needs to read the app the way a screen reader
# does: waiting, walking the AT-SPI tree and finding nodes by accessible name;
# and to start and stop the programs it talks to.

import os
import subprocess
import time

import pyatspi

TIMEOUT = 30


def log(message):
    print("# " + message, flush=True)


def wait_for(what, predicate, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = predicate()
        except Exception:  # the tree changes under us while pages move
            value = None
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out waiting for " + what)


def walk(node, depth=0):
    if node is None or depth > 60:
        return
    yield node
    for i in range(node.childCount):
        try:
            child = node.getChildAtIndex(i)
        except Exception:
            continue
        yield from walk(child, depth + 1)


def find(root, name, roles=None):
    for node in walk(root):
        try:
            if node.name == name and (roles is None or node.getRoleName() in roles):
                return node
        except Exception:
            continue
    return None


def find_prefix(root, prefix):
    for node in walk(root):
        try:
            if node.name and node.name.startswith(prefix):
                return node
        except Exception:
            continue
    return None


def find_app(pid):
    desktop = pyatspi.Registry.getDesktop(0)
    for app in desktop:
        try:
            if app is not None and app.get_process_id() == pid:
                return app
        except Exception:
            continue
    return None


def editable_of(node):
    for child in walk(node):
        try:
            return child.queryEditableText()
        except NotImplementedError:
            continue
    return None


def have_a11y_bus():
    # The test environment says GTK_A11Y=none for the GTK unit tests; what
    # matters here is whether the session bus has the AT-SPI bus launcher.
    try:
        out = subprocess.run(
            ["gdbus", "call", "--session", "--dest", "org.freedesktop.DBus",
             "--object-path", "/org/freedesktop/DBus",
             "--method", "org.freedesktop.DBus.NameHasOwner", "org.a11y.Bus"],
            capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return "true" in out.stdout


def _first_url(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return next((line.strip() for line in f if line.startswith("http://")), None)


def start_server(build, folder, *args):
    """cars-mechanic-server on loopback (minimum hash cost, no rate limit), its
    database and outbox in folder, its output with debug messages in
    folder/server.log. Returns the process and its URL."""
    path = os.path.join(folder, "server.log")
    with open(path, "w") as output:
        proc = subprocess.Popen(
            [os.path.join(build, "src", "server", "cars-mechanic-server"),
             "--port", "0", "--hash-cost", "minimum", "--rate-limit", "0",
             "--database", os.path.join(folder, "server.db"),
             "--outbox", os.path.join(folder, "outbox")] + list(args),
            stdout=output, stderr=subprocess.STDOUT,
            env=dict(os.environ, G_MESSAGES_DEBUG="all"))
    # Its URL is the first line it prints; debug messages share the output.
    url = wait_for("the server's URL", lambda: _first_url(path))
    assert url.startswith("http://127.0.0.1:"), "the server printed no loopback URL"
    log("server at " + url)
    return proc, url


def stop(proc):
    if proc is None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
