#!/usr/bin/env bash
# Kamailio (deploy/kamailio) as the SIP over WebSocket registrar and proxy for
# the softphone tests, on a free port of 127.0.0.1, with twelve test users in
# four groups of three (random passwords): alice bob carol | dave erin frank |
# grace heidi ivan | judy mallory oscar. Test packages run in parallel on the
# same Kamailio, so each package takes its own group
# (softphonetest.KamailioEnv.Group): a call to a user another package has
# registered too would fork to both. Prints RINGSIDE_TEST_KAMAILIO_WS,
# RINGSIDE_TEST_SIP_DOMAIN, RINGSIDE_TEST_SIP_USERS and RINGSIDE_TEST_KAMAILIO_CTL
# (a script taking stop|start|restart|kill, for tests that restart the server).
set -euo pipefail
cmd=$1 run=$2
here=$(cd "$(dirname "$0")/../.." && pwd)
case $cmd in
start)
  # The Debian package enables its own service; tests run their own instance.
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet kamailio 2>/dev/null; then
    systemctl disable --now kamailio >/dev/null 2>&1 || true
  fi
  for _ in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 30000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue
    rm -rf "$run/kamailio"
    users=""
    for u in alice bob carol dave erin frank grace heidi ivan judy mallory oscar; do
      users+="${users:+,}$u:$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    done
    if SIP_USERS=$users KAMAILIO_PORT=$port WS_KEEPALIVE=${RINGSIDE_TEST_WS_KEEPALIVE:-5} \
      "$here/deploy/kamailio/run.sh" start "$run/kamailio"; then
      exit 0
    fi
  done
  echo "kamailio: could not start (see $run/kamailio/kamailio.log)" >&2
  exit 1 ;;
stop) [ -d "$run/kamailio" ] && "$here/deploy/kamailio/run.sh" stop "$run/kamailio"; true ;;
esac
