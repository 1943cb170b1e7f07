#!/usr/bin/env bash
# gnome-keyring's Secret Service on the session bus, unlocked with a throwaway password.
set -euo pipefail
cmd=$1 run=$2
case $cmd in
start)
  [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] || { echo "keyring: no session D-Bus" >&2; exit 1; }
  export HOME=${HOME:-/root}
  printf 'ringside-test' | gnome-keyring-daemon --foreground --unlock --components=secrets \
    >"$run/keyring.log" 2>&1 &
  echo $! >"$run/keyring.pid"
  for _ in $(seq 50); do
    dbus-send --session --print-reply --dest=org.freedesktop.DBus / org.freedesktop.DBus.NameHasOwner \
      string:org.freedesktop.secrets 2>/dev/null | grep -q true && { echo RINGSIDE_TEST_KEYRING=1; exit 0; }
    sleep 0.1
  done
  echo "keyring: gnome-keyring did not appear on D-Bus" >&2; cat "$run/keyring.log" >&2; exit 1 ;;
stop) [ -f "$run/keyring.pid" ] && kill "$(cat "$run/keyring.pid")" 2>/dev/null; true ;;
esac
