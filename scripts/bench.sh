#!/usr/bin/env bash
# Prints every performance figure: the Go benchmarks of each package (with the
# real components started, as for the tests) and the whole-app scripts in bench/.
# Usage: scripts/bench.sh [PACKAGES...]   (default: ./...)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh test
if [ -z "${RINGSIDE_IN_SESSION:-}" ]; then
  export RINGSIDE_IN_SESSION=1
  exec dbus-run-session -- "$0" "$@"
fi
exec scripts/with-services.sh bash -c '
  set -euo pipefail
  pkgs=("$@"); [ ${#pkgs[@]} -eq 0 ] && pkgs=(./...)
  go test -tags migrated_fynedo -run "^$" -bench . -benchtime 20x -count 1 "${pkgs[@]}"
  # The Fyne fork'"'"'s own: a repaint of the window painted on the CPU.
  (cd third_party/fyne && go test -run "^$" -bench Ringside -benchtime 100x -count 1 ./internal/painter/software/)
  for s in bench/*.sh; do [ -x "$s" ] && { echo "== $s"; "$s"; }; done
  true' bench "$@"
