#!/usr/bin/env bash
# Chromium for the browser softphone (JsSIP) interop tests: only located here.
set -euo pipefail
case $1 in
start) for b in chromium chromium-browser; do p=$(command -v $b || true); [ -n "$p" ] && { echo "RINGSIDE_TEST_CHROMIUM=$p"; exit 0; }; done
  echo "chromium: not installed" >&2; exit 1 ;;
stop) true ;;
esac
