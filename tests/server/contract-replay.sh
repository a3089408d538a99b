#!/bin/sh
# contract-replay.sh: runs the server tests with their traffic going through Prism, an OpenAPI
# validator, in proxy mode in front of the server, and fails on any violation of
# docs/openapi.yaml. Prism is installed under _tools/ by scripts/test, at the version
# scripts/node-tools/package-lock.json pins.
# Usage: contract-replay.sh TEST-PROGRAM...
#
# Every fixture's server listens on one port (CM_TEST_SERVER_PORT), one test after the other,
# and Prism forwards to it; the tests send to Prism (CM_TEST_CONTRACT_PROXY) and
# server-test-util checks the sl-violations header of every answer. The log check below
# catches what the tests send around that helper. docs/server.md ("Contract conformance")
# says which requests bypass Prism and why.
#
# Copyright 2026 The CARS Mechanic authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A missing validator is a failure, not a skip: the contract must be checked.
set -u
source_dir=${CM_SOURCE_DIR:?CM_SOURCE_DIR is not set}
prism="$source_dir/_tools/node_modules/.bin/prism"
n=1
echo "1..$(($# + 2))"

if [ ! -x "$prism" ]; then
  echo "# $prism is missing; scripts/test installs it (scripts/node-tools)"
  echo "not ok 1 - Prism proxy in front of the server"
  exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/cm-contract-XXXXXX")
prism_pid=
cleanup() {
  if [ -n "$prism_pid" ]; then
    kill "$prism_pid" 2>/dev/null
    wait "$prism_pid" 2>/dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# Two free loopback ports: the server's (Prism's upstream) and Prism's. Below Linux's
# ephemeral range (32768 and up), so that a port 0 bind or an outgoing connection of a test
# running alongside cannot take the server's port between two fixtures.
ports=$(node -e '
  const net = require("net");
  const take = () => new Promise((ok, fail) => {
    const p = 20000 + Math.floor(Math.random() * 12000), s = net.createServer();
    s.once("error", () => take().then(ok, fail));
    s.listen(p, "127.0.0.1", () => s.close(() => ok(p)));
  });
  take().then(async (a) => { let b; do b = await take(); while (b === a);
                             console.log(a + " " + b); });') || exit 1
server_port=${ports% *}
prism_port=${ports#* }

# Without --errors: Prism forwards every request, so the server's own refusals are exercised
# and their answers validated; violations come back in the sl-violations header and the log.
start=$(date +%s)
"$prism" proxy "$source_dir/docs/openapi.yaml" "http://127.0.0.1:$server_port" \
  --host 127.0.0.1 --port "$prism_port" --errors=false --validate-request=true \
  >"$work/prism.log" 2>&1 &
prism_pid=$!
waited=0
until grep -q "Prism is listening" "$work/prism.log"; do
  if ! kill -0 "$prism_pid" 2>/dev/null || [ $waited -ge 120 ]; then
    sed 's/^/# /' "$work/prism.log"
    echo "not ok 1 - Prism proxy in front of the server"
    exit 1
  fi
  sleep 0.5
  waited=$((waited + 1))
done
echo "ok 1 - Prism $("$prism" --version) proxy on 127.0.0.1:$prism_port for 127.0.0.1:$server_port ($(($(date +%s) - start)) s to start)"

status=0
for program in "$@"; do
  n=$((n + 1))
  name=$(basename "$program")
  if CM_TEST_SERVER_PORT=$server_port CM_TEST_CONTRACT_PROXY="http://127.0.0.1:$prism_port" \
       "$program" --keep-going >"$work/$name.log" 2>&1; then
    echo "ok $n - $name through the contract validator"
  else
    grep -E "contract|^not ok|Bail out|ERROR" "$work/$name.log" | head -60 | sed 's/^/# /'
    echo "not ok $n - $name through the contract validator"
    status=1
  fi
done

# Every answer Prism saw, including those of requests sent around server_call().
n=$((n + 1))
forwarded=$(grep -c "Forwarding" "$work/prism.log")
refused=$(grep -c "Violation: request" "$work/prism.log")
if grep -q "Violation: response" "$work/prism.log"; then
  grep -E "upstream call|Violation: response" "$work/prism.log" |
    grep -B1 "Violation: response" | grep -v "^--" | sed 's/^/# /' | head -60
  echo "not ok $n - no response violation in the validator's log ($forwarded requests)"
  status=1
elif [ "$forwarded" -eq 0 ]; then
  echo "not ok $n - no request went through the validator"
  status=1
else
  echo "ok $n - no response violation in $forwarded answers ($refused request violations, each refused by the server) in $(($(date +%s) - start)) s"
fi
exit $status
