#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL: a cluster in a temporary folder (Debian's
# postgresql-15, initdb), listening only on a socket in that folder and on a loopback port,
# owned by an unprivileged user when run as root (postgres refuses root), stopped by its PID
# and removed at the end. The command finds it in CM_TEST_POSTGRESQL (a libpq URI, database
# "cm", user "cm", trust authentication: nothing but this folder can reach it).
# Usage: with-postgresql.sh COMMAND [ARG...]
set -euo pipefail

bindir=${CM_POSTGRESQL_BIN:-/usr/lib/postgresql/15/bin}
if [ ! -x "$bindir/initdb" ]; then
  echo "Bail out! $bindir/initdb is missing: scripts/deps test installs postgresql-15" >&2
  exit 99
fi

dir=$(mktemp -d /tmp/cm-postgresql-XXXXXX)
pid=
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  # A user of its own when the system has one made for it, else nobody.
  owner=nobody
  id -u postgres >/dev/null 2>&1 && owner=postgres
  chown "$owner" "$dir"
  # setpriv executes postgres in place (runuser would stay as its parent), so $! is its PID.
  as_owner=(setpriv --reuid="$(id -u "$owner")" --regid="$(id -g "$owner")" --clear-groups --)
fi

stop() {
  local status=$?
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    # SIGINT: the fast shutdown (open sessions rolled back), then wait for the PID to go.
    kill -INT "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -rf "$dir"
  exit "$status"
}
trap stop EXIT INT TERM

"${as_owner[@]}" "$bindir/initdb" -N -D "$dir/data" -U cm --auth=trust -E UTF8 --locale=C.UTF-8 \
  >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }

# A free loopback port: the kernel picks one, python3 is in the base image.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"${as_owner[@]}" "$bindir/postgres" -D "$dir/data" -k "$dir" -h 127.0.0.1 -p "$port" \
  -c max_connections=200 -c shared_buffers=64MB -c log_min_messages=warning \
  >"$dir/postgres.log" 2>&1 &
pid=$!

for _ in $(seq 100); do
  if "$bindir/pg_isready" -q -h "$dir" -p "$port" 2>/dev/null; then break; fi
  kill -0 "$pid" 2>/dev/null || { cat "$dir/postgres.log" >&2; exit 1; }
  sleep 0.1
done
"$bindir/psql" -q -h "$dir" -p "$port" -U cm -d postgres -c "CREATE DATABASE cm" >/dev/null

export CM_TEST_POSTGRESQL="postgresql://cm@127.0.0.1:$port/cm"
export CM_TEST_POSTGRESQL_PID=$pid
"$@"
