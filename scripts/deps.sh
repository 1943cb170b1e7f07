#!/usr/bin/env bash
# Installs the Debian packages Ringside needs to build, run and test.
# Usage: scripts/deps.sh [run|test]   (default: test, which is a superset of run)
# Installs only what is missing; uses sudo when not root.
set -euo pipefail
what=${1:-test}

build_pkgs=(gcc libc6-dev pkg-config libgl-dev libx11-dev libxcursor-dev libxrandr-dev
  libxinerama-dev libxi-dev libxxf86vm-dev libopus-dev libopusfile-dev)
run_pkgs=(dbus dbus-x11 gnome-keyring espeak-ng pulseaudio pulseaudio-utils)
test_pkgs=(xvfb xauth x11-apps xdotool imagemagick sox lame kamailio kamailio-websocket-modules chromium)

pkgs=("${build_pkgs[@]}" "${run_pkgs[@]}")
[ "$what" = test ] && pkgs+=("${test_pkgs[@]}")

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "deps: not a Debian/Ubuntu machine; install the equivalents of: ${pkgs[*]}" >&2
  exit 0
fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "deps: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Kamailio's package enables a system service; tests start their own instance.
if printf '%s\n' "${missing[@]}" | grep -qx kamailio; then
  $sudo systemctl disable --now kamailio >/dev/null 2>&1 || true
  $sudo service kamailio stop >/dev/null 2>&1 || true
fi
