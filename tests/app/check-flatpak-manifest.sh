#!/bin/sh
# check-flatpak-manifest.sh MANIFEST
# Copyright 2026 The CARS Mechanic authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# flatpak-builder parses the manifest (nothing is downloaded), then we check
# the sandbox holes: the app reaches the keyring through the Secret portal, so
# it must never ask for org.freedesktop.secrets on the session bus.
set -eu

manifest=$(realpath "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=$tmp/manifest.json

# From the temporary folder: flatpak-builder leaves .flatpak-builder/ in the cwd.
(cd "$tmp" && flatpak-builder --show-manifest "$manifest") > "$out"
echo "ok: flatpak-builder parsed $manifest"

"${PYTHON:-python3}" - "$out" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
assert m["id"] == "io.github.carsmechanic.CarsMechanic", m["id"]
assert m["command"] == "cars-mechanic"
assert m["runtime"] == "org.gnome.Platform" and m["sdk"] == "org.gnome.Sdk"
allowed = {"--share=network", "--share=ipc", "--socket=fallback-x11",
           "--socket=wayland", "--device=dri"}
extra = set(m.get("finish-args", [])) - allowed
assert not extra, "unexpected finish-args: %s" % sorted(extra)
for module in m["modules"]:
    for source in module.get("sources", []):
        # Every download is pinned: an archive by its checksum, git by a commit.
        if source["type"] == "archive":
            assert len(source.get("sha256", "")) == 64, module["name"] + " has no sha256"
        if source["type"] == "git":
            assert len(source.get("commit", "")) == 40, module["name"] + " has no commit"
print("ok: the output is JSON with the expected id, runtime and finish-args")
print("ok: every archive has a sha256 and every git source a commit")
PY

if grep -q 'org\.freedesktop\.secrets' "$out"; then
  echo "not ok: the manifest talks to org.freedesktop.secrets; use the Secret portal" >&2
  exit 1
fi
echo "ok: no org.freedesktop.secrets talk-name"
