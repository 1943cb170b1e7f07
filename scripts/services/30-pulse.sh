#!/usr/bin/env bash
# PulseAudio with a null sink (ringside_sink) and a 440 Hz sine source
# (ringside_sine), so that malgo's real backend records and plays.
# ringside_sine is the monitor of a second null sink fed by module-sine, not
# module-sine-source: that one produces its audio in 2-second blocks, which a
# low-latency capture stream (miniaudio's) mostly loses.
set -euo pipefail
cmd=$1 run=$2
case $cmd in
start)
  export XDG_RUNTIME_DIR=$run/xdg; mkdir -p "$XDG_RUNTIME_DIR/pulse"; chmod 700 "$XDG_RUNTIME_DIR"
  cat >"$run/pulse.pa" <<PA
load-module module-native-protocol-unix auth-anonymous=1 socket=$run/pulse.sock
load-module module-null-sink sink_name=ringside_sink
load-module module-null-sink sink_name=ringside_tone sink_properties=device.description=Ringside-tone-sink
load-module module-sine sink=ringside_tone frequency=440
load-module module-remap-source master=ringside_tone.monitor source_name=ringside_sine source_properties=device.description=Ringside-440-Hz-tone
set-default-sink ringside_sink
set-default-source ringside_sine
PA
  pulseaudio -n --daemonize=no --exit-idle-time=-1 --disallow-exit --system=false \
    -F "$run/pulse.pa" >"$run/pulse.log" 2>&1 &
  echo $! >"$run/pulse.pid"
  for _ in $(seq 50); do
    PULSE_SERVER=unix:$run/pulse.sock pactl info >/dev/null 2>&1 && {
      echo "PULSE_SERVER=unix:$run/pulse.sock"; echo RINGSIDE_TEST_PULSE=1; exit 0; }
    sleep 0.1
  done
  echo "pulse: did not start" >&2; cat "$run/pulse.log" >&2; exit 1 ;;
stop) [ -f "$run/pulse.pid" ] && kill "$(cat "$run/pulse.pid")" 2>/dev/null; true ;;
esac
