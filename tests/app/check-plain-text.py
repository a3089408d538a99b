#!/usr/bin/env python3
# check-plain-text.py SOURCE_ROOT
# Copyright 2026 The CARS Mechanic authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Text from the back-end, the disk or a link is never Pango markup (adversary
# report, finding 8). The widgets that read markup are made in one place,
# src/app/cm-plain-text.c; this keeps it that way:
# - in src/app, no call that makes or feeds a markup widget (toasts, rows,
#   status page and group descriptions, label or dialog markup) outside it;
#   g_markup_escape_text and g_markup_printf_escaped stay allowed, and the
#   printer, whose layout is markup built from escaped values;
# - in data/, every Adw*Row turns use-markup off, and nothing turns it on.
# test-plain-text.c checks what a hostile back-end's text looks like on screen.
import pathlib
import re
import sys
import xml.etree.ElementTree as ET

root = pathlib.Path(sys.argv[1])
failures = 0

HELPER = "cm-plain-text.c"
# A layout for printing, not a widget: every value is escaped there.
MARKUP_ALLOWED = {HELPER, "cm-confirmation-printer.c"}
ESCAPES = {"g_markup_escape_text", "g_markup_printf_escaped"}
MARKUP_WIDGET_CALLS = re.compile(
    r"\b(adw_toast_new|adw_\w*_row_new|adw_status_page_set_description"
    r"|adw_preferences_group_set_description)\b|\bADW_TYPE_\w*ROW\b")
MARKUP_WORD = re.compile(r"[\w-]*markup[\w-]*", re.IGNORECASE)


def check(ok, message):
    global failures
    print(("ok: " if ok else "not ok: ") + message)
    if not ok:
        failures += 1


def code_lines(path):
    """Lines of a C file with comments blanked (line numbers kept)."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"/\*.*?\*/", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.S)
    return [re.sub(r"//.*", "", line) for line in text.split("\n")]


for path in sorted((root / "src" / "app").rglob("*.c")):
    if path.name == HELPER:
        continue
    problems = []
    for number, line in enumerate(code_lines(path), 1):
        for match in MARKUP_WIDGET_CALLS.finditer(line):
            # cm_plain_row_new (ADW_TYPE_...ROW) is the helper's own door.
            if match.group(0).startswith("ADW_TYPE_") and "cm_plain_row_new" in line:
                continue
            # A subclass's parent type makes no widget (CmFieldErrorRow's title is never shown).
            if match.group(0).startswith("ADW_TYPE_") and "G_DEFINE_" in line:
                continue
            problems.append("%d: %s" % (number, match.group(0)))
        if path.name not in MARKUP_ALLOWED:
            for word in MARKUP_WORD.findall(line):
                if word not in ESCAPES:
                    problems.append("%d: %s" % (number, word))
    check(not problems, "%s makes no markup widget of its own%s"
          % (path.relative_to(root), "".join("\n  " + p for p in problems)))

for path in sorted((root / "data").rglob("*.ui")):
    tree = ET.parse(path)
    problems = []
    for obj in tree.iter("object"):
        props = {p.get("name"): (p.text or "").strip() for p in obj.findall("property")}
        if re.fullmatch(r"Adw\w*Row", obj.get("class", "")) and \
                props.get("use-markup", "").lower() not in ("false", "0", "no"):
            problems.append("%s %s without use-markup False"
                            % (obj.get("class"), obj.get("id", "(no id)")))
        for name, value in props.items():
            if "markup" in name and name != "use-markup":
                problems.append("%s property %s" % (obj.get("class"), name))
            if name == "use-markup" and value.lower() in ("true", "1", "yes"):
                problems.append("%s %s with use-markup True" % (obj.get("class"), obj.get("id")))
    check(not problems, "%s: every row shows text, not markup%s"
          % (path.relative_to(root), "".join("\n  " + p for p in problems)))

print("%d failed" % failures)
sys.exit(1 if failures else 0)
