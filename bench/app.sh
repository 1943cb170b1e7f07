#!/usr/bin/env bash
# Whole-process figures of the Ringside window under Xvfb, beside a bare
# one-window Fyne app (bench/uibare) measured the same way in the same run:
#   start to first frame (exec to the first frame the painter draws; median of RUNS)
#   idle RSS, PSS and private memory (smaps_rollup) after SETTLE seconds
#   idle CPU over IDLE seconds (the threads' run time from /proc/PID/task/*/schedstat)
# The bare app runs twice: with OpenGL (Mesa llvmpipe under Xvfb), as stock
# Fyne does, and painted on the CPU (bare-cpu), as Ringside is under Xvfb.
# Usage: bench/app.sh            (starts its own Xvfb when DISPLAY is unset)
#        RUNS=7 IDLE=10 bench/app.sh
#        RINGSIDE_BIN=bin/ringside bench/app.sh   (measure bin/ringside and bin/ringside-app, no build)
# Extra environment for both apps can be given in BENCH_ENV, e.g.
#   BENCH_ENV="GOGC=50" bench/app.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# A session bus, as on a desktop (the tray uses it); never an autolaunched one.
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ] && command -v dbus-run-session >/dev/null; then
  exec dbus-run-session -- "$0" "$@"
fi
RUNS=${RUNS:-5} SETTLE=${SETTLE:-3} IDLE=${IDLE:-10}
work=$(mktemp -d /tmp/ringside-bench.XXXXXX)
xpid=""
pid=""
# Under set -e a failing kill (the app already stopped) would end the trap
# before Xvfb is stopped, leaving one Xvfb behind per run.
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
  if [ -n "$xpid" ]; then kill "$xpid" 2>/dev/null || true; wait "$xpid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

# What users start: ringside, which execs ringside-app beside it.
if [ -n "${RINGSIDE_BIN:-}" ]; then  # already-built binaries
  cp "$RINGSIDE_BIN" "$work/ringside"; cp "$RINGSIDE_BIN-app" "$work/ringside-app"
else
  CGO_ENABLED=0 go build -o "$work/ringside" ./cmd/ringside
  go build -tags migrated_fynedo -o "$work/ringside-app" ./cmd/ringside-app
fi
go build -tags migrated_fynedo -o "$work/uibare" ./bench/uibare

if [ -z "${DISPLAY:-}" ]; then
  for n in $(seq 140 160); do [ -e /tmp/.X11-unix/X$n ] || [ -e /tmp/.X$n-lock ] || break; done
  Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
  xpid=$!
  export DISPLAY=":$n"
  for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$n" ] && break; sleep 0.1; done
fi
export LANG=en_US.UTF-8 LC_ALL=

# start NAME CMD...: runs CMD in the background with the first-frame hook;
# sets pid and frame_ms (exec to first frame).
start() {
  local name=$1; shift
  local log="$work/$name.log"
  : >"$log"
  local t0; t0=$(date +%s%N)
  env RINGSIDE_BENCH_FIRST_FRAME=1 ${BENCH_ENV:-} "$@" 2>"$log" >/dev/null &
  pid=$!
  local line=""
  # The app prints the time itself, so the poll need not be quick; a 5 ms
  # poll (a subshell, grep and sleep 200 times a second) took a core's share
  # from the app on 2 cores and added 80-100 ms to its start.
  for _ in $(seq 200); do
    sleep 0.1
    line=$(grep -m1 'first frame' "$log" || true)
    [ -n "$line" ] && break
  done
  [ -n "$line" ] || { echo "bench: $name drew no frame; log:" >&2; cat "$log" >&2; exit 1; }
  frame_ms=$(( (${line##* } - t0) / 1000000 ))
}

stop() { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; }

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

mem() { # kB figures of PID: rss pss private
  awk '/^Rss:/{r=$2} /^Pss:/{p=$2} /^Private_Clean:/{c=$2} /^Private_Dirty:/{d=$2} END{printf "%d %d %d", r, p, c+d}' "/proc/$1/smaps_rollup"
}

mib() { awk -v k="$1" 'BEGIN{printf "%.1f", k / 1024}'; }

# cpu_ns PID: CPU time of PID's threads in ns (schedstat; /proc/PID/stat
# counts 10 ms ticks, too coarse for an idle figure under 0.1 %).
cpu_ns() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{s += $1} END {printf "%d", s}'; }

measure() { # NAME CMD...
  local name=$1; shift
  local frames=()
  for i in $(seq "$RUNS"); do
    home="$work/home-$name-$i"; mkdir -p "$home"
    start "$name" "$@"
    frames+=("$frame_ms")
    if [ "$i" -lt "$RUNS" ]; then stop; fi
  done
  sleep "$SETTLE"
  read -r rss pss priv <<<"$(mem "$pid")"
  local threads; threads=$(ls "/proc/$pid/task" | wc -l)
  local c0 c1 cpu; c0=$(cpu_ns "$pid"); sleep "$IDLE"; c1=$(cpu_ns "$pid")
  if [ -r "/proc/$pid/schedstat" ]; then
    cpu=$(awk -v d=$((c1 - c0)) -v s="$IDLE" 'BEGIN{printf "%.3f", d / 1e9 / s * 100}')
  else cpu="n/a (no /proc/PID/schedstat in this kernel)"; fi
  stop
  local fm; fm=$(printf '%s\n' "${frames[@]}" | median)
  printf '%-9s first frame %4d ms (median of %d: %s)  idle RSS %6.1f MiB  PSS %6.1f MiB  private %6.1f MiB  threads %d  idle CPU %s%% over %ds\n' \
    "$name" "$fm" "$RUNS" "${frames[*]}" "$(mib "$rss")" "$(mib "$pss")" "$(mib "$priv")" "$threads" "$cpu" "$IDLE"
}

echo "bench/app.sh: DISPLAY=$DISPLAY, $(nproc) CPUs, ${BENCH_ENV:-default environment}; targets: first frame < 400 ms, idle RSS < 110 MiB, idle CPU < 0.1%"
measure bare "$work/uibare"
# The same bare app painted on the CPU, as Ringside chooses under Xvfb (no
# direct rendering; cmd/ringside-app/renderer_linux.go).
measure bare-cpu env RINGSIDE_RENDERER=software "$work/uibare"
mkdir -p "$work/home"
measure ringside "$work/ringside" --home "$work/home"
