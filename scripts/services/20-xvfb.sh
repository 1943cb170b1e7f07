#!/usr/bin/env bash
# An Xvfb X server for the app's real window and screenshots.
set -euo pipefail
cmd=$1 run=$2
case $cmd in
start)
  for n in $(seq 99 120); do [ -e /tmp/.X11-unix/X$n ] || [ -e /tmp/.X$n-lock ] || break; done
  Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp -noreset >"$run/xvfb.log" 2>&1 &
  echo $! >"$run/xvfb.pid"
  for _ in $(seq 50); do
    [ -e "/tmp/.X11-unix/X$n" ] && { echo "DISPLAY=:$n"; echo RINGSIDE_TEST_X=1; exit 0; }
    sleep 0.1
  done
  echo "xvfb: did not start" >&2; cat "$run/xvfb.log" >&2; exit 1 ;;
stop) [ -f "$run/xvfb.pid" ] && kill "$(cat "$run/xvfb.pid")" 2>/dev/null; true ;;
esac
