#!/usr/bin/python3
"""Fails when a user-visible string escapes translation.

- .ui files: a text property (label, title, ...) with letters must carry
  translatable="yes", or translatable="no" to say it is deliberate.
- C files: a string literal with letters passed straight to a call that shows
  text (gtk_label_set_text, adw_toast_new, ...) must be wrapped in _(), N_(),
  C_() or ngettext(); a call can be exempted with /* untranslated: why */ on
  the line before.
- po/POTFILES.in must list every source that marks a string for translation.
Usage: check-translatable.py SOURCE_ROOT
"""
import os
import re
import sys

root = sys.argv[1] if len(sys.argv) > 1 else "."
problems = []

UI_PROPS = ("label", "title", "subtitle", "description", "placeholder-text", "tooltip-text",
            "text", "body", "heading", "secondary-text", "tooltip-markup", "copyright",
            "comments", "website-label", "accessible-name")
ui_prop = re.compile(r'<(property|attribute|item)\b([^>]*)>([^<]*)</\1>')
ui_name = re.compile(r'name="([^"]+)"')

SHOWS_TEXT = (
    r"gtk_label_set_(?:text|label|markup)", r"gtk_label_new(?:_with_mnemonic)?",
    r"gtk_button_set_label", r"gtk_button_new_with_(?:label|mnemonic)",
    r"gtk_check_button_(?:new_with_(?:label|mnemonic)|set_label)",
    r"gtk_window_set_title", r"gtk_widget_set_tooltip_(?:text|markup)",
    r"gtk_editable_set_text", r"gtk_entry_set_placeholder_text",
    r"adw_preferences_row_set_title", r"adw_action_row_set_subtitle",
    r"adw_status_page_set_(?:title|description)", r"adw_toast_new(?:_format)?",
    r"adw_toast_set_(?:title|button_label)", r"adw_message_dialog_new",
    r"adw_message_dialog_(?:set_heading|set_body|format_heading|format_body|add_response)",
    r"adw_window_title_set_(?:title|subtitle)", r"gtk_link_button_new_with_label",
    r"adw_expander_row_set_subtitle", r"adw_preferences_(?:group|page)_set_(?:title|description)",
    r"g_menu_append", r"g_menu_item_new",
)
call = re.compile(r"\b(" + "|".join(SHOWS_TEXT) + r")\s*\(")
literal = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
wrapped = re.compile(r'(?:\b_|\bN_|\bC_|\bngettext|\bg_dngettext|\bg_dgettext|\bNC_)\s*\(\s*(?:"[^"]*"\s*,\s*)?$')

def call_args(text, start):
    """The text of a call's arguments, from the '(' at @start to its match."""
    depth = 0
    i = start
    in_str = False
    while i < len(text):
        c = text[i]
        if in_str:
            if c == "\\":
                i += 1
            elif c == '"':
                in_str = False
        elif c == '"':
            in_str = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return text[start + 1:i]
        i += 1
    return text[start + 1:]

def check_c(path, text):
    for m in call.finditer(text):
        line_no = text.count("\n", 0, m.start()) + 1
        line_start = text.rfind("\n", 0, m.start())
        prev_line_start = text.rfind("\n", 0, max(line_start, 0))
        if "untranslated:" in text[max(prev_line_start, 0):m.start()]:
            continue
        args = call_args(text, m.end() - 1)
        for lit in literal.finditer(args):
            s = lit.group(1)
            if not re.search(r"[A-Za-z]{2}", s):
                continue
            before = args[:lit.start()]
            # The later pieces of "a" "b" belong to the first one's fate.
            if re.search(r'"\s*$', before):
                continue
            if wrapped.search(before):
                continue
            # g_menu_append (menu, label, "app.action"): only the label is shown.
            if m.group(1).startswith("g_menu") and re.match(r"^[a-z]+\.[a-z-]+$", s):
                continue
            if m.group(1) == "adw_message_dialog_add_response" and re.match(r"^[a-z-]+$", s):
                continue
            problems.append(f"{path}:{line_no}: \"{s}\" passed to {m.group(1)} is not translatable")

def check_ui(path, text):
    for m in ui_prop.finditer(text):
        attrs, value = m.group(2), m.group(3)
        if not re.search(r"[A-Za-z]{2}", value):
            continue
        name = ui_name.search(attrs)
        if m.group(1) != "item" and (name is None or name.group(1) not in UI_PROPS):
            continue
        if m.group(1) == "item" and "translatable" not in attrs and "<items>" not in text:
            continue
        if 'translatable="yes"' in attrs or 'translatable="no"' in attrs:
            continue
        line_no = text.count("\n", 0, m.start()) + 1
        problems.append(f"{path}:{line_no}: \"{value}\" has no translatable=\"yes\"")

marks = re.compile(r'(\b_\(|\bN_\(|\bC_\(|\bngettext\s*\(|translatable="yes")')
sources = []
for top in ("src", "data"):
    for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
        for f in filenames:
            if f.endswith((".c", ".ui", ".in")):
                sources.append(os.path.join(dirpath, f))

with open(os.path.join(root, "po", "POTFILES.in"), encoding="utf-8") as f:
    listed = {l.strip() for l in f if l.strip() and not l.startswith("#")}

for path in sorted(sources):
    rel = os.path.relpath(path, root)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if rel.endswith(".c") and rel.startswith("src/app"):
        check_c(rel, text)
    elif rel.endswith(".ui"):
        check_ui(rel, text)
    if marks.search(text) and rel not in listed:
        problems.append(f"{rel}: marks strings for translation but po/POTFILES.in does not list it")
for rel in sorted(listed):
    if not os.path.exists(os.path.join(root, rel)):
        problems.append(f"po/POTFILES.in lists {rel}, which does not exist")

for p in problems:
    print(p)
print(f"{len(problems)} untranslated or unlisted strings")
sys.exit(1 if problems else 0)
