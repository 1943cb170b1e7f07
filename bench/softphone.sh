#!/usr/bin/env bash
# Softphone figures on loopback through the project's Kamailio: INVITE to
# first audio frame at the callee (median of 20 calls), mouth-to-ear delay
# (jitter buffer included) and CPU per active Opus call; beside them, the
# same call setup with JsSIP 3.13 in headless Chromium (softphone/interop).
# Usage: bench/softphone.sh   (starts Kamailio itself through with-services.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
run() {
  go test -run '^$' -bench 'CallSetup|MouthToEar|CPUPerCall' -benchtime=20x ./softphone/ 2>&1 | grep -v '^dbus-daemon'
  go test -run '^$' -bench 'JsSIP' -benchtime=10x ./softphone/interop/ 2>&1 | grep -v '^dbus-daemon'
}
if [ -n "${RINGSIDE_TEST_KAMAILIO_WS:-}" ]; then
  run
elif [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  scripts/with-services.sh bash -c "$(declare -f run); run"
else
  dbus-run-session -- scripts/with-services.sh bash -c "$(declare -f run); run"
fi
