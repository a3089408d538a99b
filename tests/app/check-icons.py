#!/usr/bin/env python3
# check-icons.py SCALABLE.svg SYMBOLIC.svg PNG96.png
# Copyright 2026 The CARS Mechanic authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The icons are well-formed SVG with the sizes GNOME expects; the symbolic one
# uses one colour and no strokes, so GTK can recolour it. The 96 px PNG (what
# Welcome draws, without loading librsvg) is a 96x96 RGBA PNG.
import struct
import sys
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"
failures = 0


def check(ok, message):
    global failures
    print(("ok: " if ok else "not ok: ") + message)
    if not ok:
        failures += 1


def load(path):
    root = ET.parse(path).getroot()  # raises on a file that is not well-formed XML
    check(root.tag == SVG + "svg", "%s is an <svg> document" % path)
    return root


scalable, symbolic, png96 = sys.argv[1], sys.argv[2], sys.argv[3]

root = load(scalable)
check(root.get("viewBox") == "0 0 128 128", "the app icon has a 128x128 viewBox")
check(not any(e.tag in (SVG + "image", SVG + "text") for e in root.iter()),
      "the app icon has no bitmaps or text")

root = load(symbolic)
check(root.get("viewBox") == "0 0 16 16", "the symbolic icon has a 16x16 viewBox")
shapes = [e for e in root.iter() if e.tag == SVG + "path"]
check(len(shapes) > 0, "the symbolic icon has paths")
check(all(e.tag in (SVG + "svg", SVG + "path", SVG + "g") for e in root.iter()),
      "the symbolic icon holds only paths and groups")
check(all(e.get("fill") == "#2e3436" for e in shapes), "every symbolic path is filled #2e3436")
check(not any(e.get("stroke") or "stroke" in (e.get("style") or "") for e in root.iter()),
      "the symbolic icon has no strokes")

with open(png96, "rb") as f:
    head = f.read(26)
check(head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR", "%s is a PNG" % png96)
check(struct.unpack(">II", head[16:24]) == (96, 96), "the PNG app icon is 96x96")
check(head[24:26] == b"\x08\x06", "the PNG app icon is 8-bit RGBA")

sys.exit(1 if failures else 0)
