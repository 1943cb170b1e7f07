#!/usr/bin/env bash
# The whole test suite, on a fresh Debian/Ubuntu machine too: installs what is
# missing, starts every real component the tests use (session D-Bus,
# gnome-keyring, Xvfb, PulseAudio, Kamailio), runs vet and the tests, and stops
# everything it started. Extra arguments go to `go test` (default: ./...).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh test
export PATH=$PATH:/usr/local/go/bin:$(go env GOPATH)/bin
if [ -z "${RINGSIDE_IN_SESSION:-}" ]; then
  export RINGSIDE_IN_SESSION=1
  exec dbus-run-session -- "$0" "$@"
fi
exec scripts/with-services.sh scripts/gotest.sh "$@"
