#!/usr/bin/env bash
# Runs the Ringside Kamailio (kamailio.cfg beside this script) as a SIP over
# WebSocket registrar and proxy, for users and for tests.
#
#   run.sh foreground [RUNDIR]   run in the foreground until Ctrl-C
#   run.sh start [RUNDIR]        start in the background, wait until it accepts
#                                connections, print KEY=VALUE lines (see below)
#   run.sh stop RUNDIR           stop the instance started in RUNDIR
#   run.sh restart RUNDIR        stop, then start again with the same settings
#   run.sh kill RUNDIR           kill -9 the instance (tests of a server crash)
#
# Settings (environment; kept in RUNDIR/settings so restart reuses them):
#   KAMAILIO_ADDR     address of the WebSocket listener   (default 127.0.0.1)
#   KAMAILIO_PORT     port of the WebSocket listener      (default 8088)
#   SIP_DOMAIN        the SIP domain served               (default ringside.test)
#   SIP_USERS         users as NAME:PASSWORD,NAME:PASSWORD (default: alice, bob
#                     and carol with random passwords, printed at start)
#   WS_KEEPALIVE      seconds between WebSocket pings     (default 30)
#
# Printed by start (and foreground, before it execs Kamailio):
#   RINGSIDE_TEST_KAMAILIO_WS=ws://ADDR:PORT
#   RINGSIDE_TEST_SIP_DOMAIN=DOMAIN
#   RINGSIDE_TEST_SIP_USERS=alice:pw,bob:pw,carol:pw
#   RINGSIDE_TEST_KAMAILIO_CTL=RUNDIR/ctl   (a script taking stop|start|restart|kill)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cmd=${1:-foreground}
run=${2:-}

kamailio_bin=$(command -v kamailio || echo /usr/sbin/kamailio)
[ -x "$kamailio_bin" ] || { echo "run.sh: kamailio is not installed (Debian: apt-get install kamailio kamailio-websocket-modules)" >&2; exit 1; }

randpw() { head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

prepare() {
  if [ -z "$run" ]; then run=$(mktemp -d /tmp/ringside-kamailio.XXXXXX); fi
  mkdir -p "$run"
  run=$(cd "$run" && pwd)
  if [ -f "$run/settings" ]; then
    # shellcheck disable=SC1091
    . "$run/settings"
  else
    KAMAILIO_ADDR=${KAMAILIO_ADDR:-127.0.0.1}
    KAMAILIO_PORT=${KAMAILIO_PORT:-8088}
    SIP_DOMAIN=${SIP_DOMAIN:-ringside.test}
    WS_KEEPALIVE=${WS_KEEPALIVE:-30}
    if [ -z "${SIP_USERS:-}" ]; then
      SIP_USERS="alice:$(randpw),bob:$(randpw),carol:$(randpw)"
    fi
    {
      printf 'KAMAILIO_ADDR=%q\nKAMAILIO_PORT=%q\nSIP_DOMAIN=%q\n' "$KAMAILIO_ADDR" "$KAMAILIO_PORT" "$SIP_DOMAIN"
      printf 'WS_KEEPALIVE=%q\nSIP_USERS=%q\n' "$WS_KEEPALIVE" "$SIP_USERS"
    } >"$run/settings"
    chmod 600 "$run/settings"
  fi
  case $KAMAILIO_PORT in ''|*[!0-9]*) echo "run.sh: KAMAILIO_PORT=$KAMAILIO_PORT is not a port number" >&2; exit 2 ;; esac
  cp "$here/kamailio.cfg" "$run/kamailio.cfg"
  : >"$run/users.cfg"
  chmod 600 "$run/users.cfg"
  IFS=, read -ra pairs <<<"$SIP_USERS"
  for p in "${pairs[@]}"; do
    name=${p%%:*} pw=${p#*:}
    case $name in ''|*[!A-Za-z0-9._-]*) echo "run.sh: SIP_USERS: user name '$name' may use only letters, digits, '.', '_' and '-'" >&2; exit 2 ;; esac
    case $pw in *[\"\\]*|'') echo "run.sh: SIP_USERS: the password of '$name' must be non-empty without quotes or backslashes" >&2; exit 2 ;; esac
    printf '\t$sht(users=>%s) = "%s";\n' "$name" "$pw" >>"$run/users.cfg"
  done
  cat >"$run/ctl" <<CTL
#!/bin/sh
# Stops, starts, restarts or kills (-9) the Kamailio in $run with the same settings.
exec "$here/run.sh" "\$1" "$run" >/dev/null
CTL
  chmod +x "$run/ctl"
  args=(-DD -E -f "$run/kamailio.cfg" -P "$run/kamailio.pid" -Y "$run" -m 64 -M 8
    -A "WS_ADDR=$KAMAILIO_ADDR" -A "WS_PORT=$KAMAILIO_PORT" -A "SIP_DOMAIN=\"$SIP_DOMAIN\""
    -A "WS_KEEPALIVE=$WS_KEEPALIVE" -A "CTL_SOCKET=\"unix:$run/kamailio_ctl\"")
}

print_env() {
  echo "RINGSIDE_TEST_KAMAILIO_WS=ws://$KAMAILIO_ADDR:$KAMAILIO_PORT"
  echo "RINGSIDE_TEST_SIP_DOMAIN=$SIP_DOMAIN"
  echo "RINGSIDE_TEST_SIP_USERS=$SIP_USERS"
  echo "RINGSIDE_TEST_KAMAILIO_CTL=$run/ctl"
}

listening() { (exec 3<>"/dev/tcp/$KAMAILIO_ADDR/$KAMAILIO_PORT") 2>/dev/null; }

do_stop() {
  [ -n "$run" ] && [ -f "$run/run.pid" ] || return 0
  pid=$(cat "$run/run.pid" 2>/dev/null || true)
  rm -f "$run/run.pid"
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.05; done
  kill -9 "$pid" 2>/dev/null || true
}

do_start() {
  prepare
  if listening; then
    echo "run.sh: $KAMAILIO_ADDR:$KAMAILIO_PORT is already in use" >&2
    exit 3
  fi
  cd "$run"
  # -DD keeps Kamailio in the foreground of its own process; we background it.
  setsid "$kamailio_bin" "${args[@]}" >>"$run/kamailio.log" 2>&1 </dev/null &
  echo $! >"$run/run.pid"
  for _ in $(seq 100); do
    if listening; then print_env; return 0; fi
    kill -0 "$(cat "$run/run.pid")" 2>/dev/null || break
    sleep 0.05
  done
  echo "run.sh: kamailio did not start; its log ($run/kamailio.log) ends with:" >&2
  tail -n 20 "$run/kamailio.log" >&2
  do_stop
  exit 1
}

case $cmd in
foreground)
  prepare
  print_env >&2
  cd "$run"
  exec "$kamailio_bin" "${args[@]}" ;;
start) do_start ;;
stop) [ -n "$run" ] || { echo "run.sh stop RUNDIR" >&2; exit 2; }; do_stop ;;
kill)
  [ -n "$run" ] && [ -f "$run/run.pid" ] || exit 0
  pid=$(cat "$run/run.pid"); rm -f "$run/run.pid"
  # Kamailio is a process group (setsid): kill all of its processes at once.
  kill -9 -- "-$pid" 2>/dev/null || kill -9 "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || exit 0; sleep 0.05; done ;;
restart) [ -n "$run" ] || { echo "run.sh restart RUNDIR" >&2; exit 2; }; do_stop; do_start ;;
*) echo "usage: run.sh foreground|start|stop|restart|kill [RUNDIR]" >&2; exit 2 ;;
esac
