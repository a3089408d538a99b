#!/usr/bin/env bash
# check-dbus-activation.sh SERVICE_FILE APP_BINARY INSTALLED_APP_PATH APP_ID
# Copyright 2026 The CARS Mechanic authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# D-Bus activation as GNOME Shell does it for a DBusActivatable app: a private
# session bus whose only service is ours (the service file the build installs,
# its Exec pointed at the binary in the build tree), then
# org.freedesktop.Application.Activate and Open with a link. The bus starts
# the app; it must take its name, open a window and quit through app.quit.
# Needs a display: run it inside scripts/headless-session. Prints TAP.
set -uo pipefail

service_in=$1 app_binary=$2 installed_path=$3 app_id=$4
object_path=/$(printf '%s' "$app_id" | tr . /)

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "1..0 # SKIP no display: run it inside scripts/headless-session"
  exit 0
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cm-activation.XXXXXX")
bus_pid=
count=0
failures=0

ok() {
  count=$((count + 1))
  echo "ok $count - $1"
}

not_ok() {
  count=$((count + 1))
  failures=$((failures + 1))
  echo "not ok $count - $1"
  [ -n "${2:-}" ] && sed 's/^/# /' <<<"$2"
}

name_has_owner() {
  gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
    --method org.freedesktop.DBus.NameHasOwner "$app_id" 2>/dev/null | grep -q true
}

cleanup() {
  local app_pid
  # The app is ours too (the bus started it for us): end it by PID if it is still there.
  if [ -n "$bus_pid" ] && name_has_owner; then
    app_pid=$(gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
      --method org.freedesktop.DBus.GetConnectionUnixProcessID "$app_id" 2>/dev/null |
      tr -dc '0-9')
    [ -n "$app_pid" ] && kill -TERM "$app_pid" 2>/dev/null
  fi
  if [ -n "$bus_pid" ]; then
    kill -TERM "$bus_pid" 2>/dev/null
    wait "$bus_pid" 2>/dev/null
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# The installed service file, its Exec moved from the prefix to the build tree.
mkdir -p "$tmp/services" "$tmp/home"
exec_line=$(sed -n 's/^Exec=//p' "$service_in")
if [ "$exec_line" = "$installed_path --gapplication-service" ]; then
  ok "the service file runs $installed_path --gapplication-service"
else
  not_ok "the service file runs $installed_path --gapplication-service" "Exec=$exec_line"
fi
sed "s|^Exec=.*|Exec=$app_binary --gapplication-service|" "$service_in" \
  >"$tmp/services/$app_id.service"

# Services inherit the bus's environment: a HOME of our own, the test env
# (GSETTINGS_SCHEMA_DIR and the memory backend) and the session's display.
export HOME="$tmp/home" XDG_DATA_HOME="$tmp/home/data" XDG_CONFIG_HOME="$tmp/home/config"
export XDG_CACHE_HOME="$tmp/home/cache" XDG_STATE_HOME="$tmp/home/state"
cat >"$tmp/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=$tmp</listen>
  <servicedir>$tmp/services</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF
dbus-daemon --nofork --nosyslog --config-file="$tmp/bus.conf" --print-address=3 \
  3>"$tmp/bus-address" 2>"$tmp/bus.log" &
bus_pid=$!
for _ in $(seq 1 100); do
  [ -s "$tmp/bus-address" ] && break
  sleep 0.05
done
DBUS_SESSION_BUS_ADDRESS=$(head -n 1 "$tmp/bus-address")
if [ -z "$DBUS_SESSION_BUS_ADDRESS" ]; then
  not_ok "a private session bus starts" "$(cat "$tmp/bus.log")"
  echo "1..$count"
  exit 1
fi
export DBUS_SESSION_BUS_ADDRESS

names=$(gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
  --method org.freedesktop.DBus.ListActivatableNames 2>&1)
if grep -q "'$app_id'" <<<"$names"; then
  ok "the bus lists $app_id as activatable"
else
  not_ok "the bus lists $app_id as activatable" "$names"
fi

if name_has_owner; then
  not_ok "nobody owns $app_id before activation"
else
  ok "nobody owns $app_id before activation"
fi

# What the Shell sends when the user clicks the icon: the bus starts the app.
reply=$(gdbus call --session --timeout 60 --dest "$app_id" --object-path "$object_path" \
  --method org.freedesktop.Application.Activate "{}" 2>&1)
if [ $? -eq 0 ] && name_has_owner; then
  ok "Activate starts the app and it owns $app_id"
else
  # The rest would only wait for an app that is not there.
  not_ok "Activate starts the app and it owns $app_id" "$reply$(printf '\n%s' "$(cat "$tmp/bus.log")")"
  echo "1..$count"
  exit 1
fi

# GtkApplication exports each window's actions at OBJECT_PATH/window/ID.
introspection=$(gdbus introspect --session --dest "$app_id" --object-path "$object_path/window" \
  --recurse 2>&1)
if grep -q "org.gtk.Actions" <<<"$introspection"; then
  ok "the activated app shows a window"
else
  not_ok "the activated app shows a window" "$introspection"
fi

# What the desktop does with an io.github.carsmechanic: link (Exec=... %u).
reply=$(gdbus call --session --timeout 30 --dest "$app_id" --object-path "$object_path" \
  --method org.freedesktop.Application.Open \
  "['io.github.carsmechanic:/add-account-access']" "{}" 2>&1)
if [ $? -eq 0 ] && name_has_owner; then
  ok "Open with an io.github.carsmechanic: link is accepted"
else
  not_ok "Open with an io.github.carsmechanic: link is accepted" "$reply"
fi

reply=$(gdbus call --session --timeout 30 --dest "$app_id" --object-path "$object_path" \
  --method org.gtk.Actions.Activate quit "[]" "{}" 2>&1)
gone=0
for _ in $(seq 1 200); do
  name_has_owner || { gone=1; break; }
  sleep 0.1
done
if [ "$gone" = 1 ]; then
  ok "app.quit ends the app and releases $app_id"
else
  not_ok "app.quit ends the app and releases $app_id" "$reply"
fi

echo "1..$count"
[ "$failures" = 0 ]
