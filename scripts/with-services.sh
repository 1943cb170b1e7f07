#!/usr/bin/env bash
# Starts the real components tests use, runs the given command with their
# addresses in the environment, then stops them. Expects a session D-Bus
# (scripts/test.sh runs it inside dbus-run-session).
#   RINGSIDE_TEST_KEYRING=1          gnome-keyring's Secret Service is unlocked
#   DISPLAY, RINGSIDE_TEST_X=1       an Xvfb server
#   RINGSIDE_TEST_PULSE=1            PulseAudio with sink ringside_sink and source ringside_sine (440 Hz)
#   RINGSIDE_TEST_KAMAILIO_WS        ws:// URI of a Kamailio started from deploy/kamailio
#   RINGSIDE_TEST_CHROMIUM           path of the chromium binary
set -uo pipefail
cd "$(dirname "$0")/.."
run=$(mktemp -d /tmp/ringside-services.XXXXXX)
pids=()
cleanup() {
  for s in scripts/services/*.sh; do [ -x "$s" ] && "$s" stop "$run" >/dev/null 2>&1; done
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  rm -rf "$run"
}
trap cleanup EXIT

# Each service script prints KEY=VALUE lines to export, or fails with a message.
for s in scripts/services/*.sh; do
  [ -x "$s" ] || continue
  if out=$("$s" start "$run"); then
    while IFS= read -r line; do [ -n "$line" ] && export "$line"; done <<<"$out"
  else
    echo "with-services: $s failed to start" >&2
    [ "${CI:-}" = true ] && exit 1
  fi
done
"$@"
