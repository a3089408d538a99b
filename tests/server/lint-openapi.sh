#!/bin/sh
# lint-openapi.sh: lints docs/openapi.yaml with Redocly, installed under _tools/ by
# scripts/test at the version scripts/node-tools/package-lock.json pins.
#
# Copyright 2026 The CARS Mechanic authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A missing linter is a failure, not a skip: the contract must be checked.
set -eu
source_dir=${CM_SOURCE_DIR:?CM_SOURCE_DIR is not set}
redocly="$source_dir/_tools/node_modules/.bin/redocly"
echo "1..1"
if [ ! -x "$redocly" ]; then
  echo "# $redocly is missing; scripts/test installs it (scripts/node-tools)"
  echo "not ok 1 - redocly lint docs/openapi.yaml"
  exit 1
fi
if out=$(cd "$source_dir" && "$redocly" lint --format stylish docs/openapi.yaml 2>&1); then
  echo "$out" | sed 's/^/# /'
  echo "ok 1 - redocly lint docs/openapi.yaml"
else
  echo "$out" | sed 's/^/# /'
  echo "not ok 1 - redocly lint docs/openapi.yaml"
  exit 1
fi
