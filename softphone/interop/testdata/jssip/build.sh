#!/usr/bin/env bash
# Rebuilds jssip.bundle.js (JsSIP 3.13.8, MIT, see LICENSE.jssip.md) for the
# browser interop tests: npm install + esbuild, in a temporary directory.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
npm init -y >/dev/null
npm install --no-audit --no-fund jssip@3.13.8 esbuild@0.28.2 >/dev/null
echo 'import JsSIP from "jssip"; window.JsSIP = JsSIP;' >entry.js
npx esbuild entry.js --bundle --minify --format=iife --outfile="$here/jssip.bundle.js"
cp node_modules/jssip/LICENSE.md "$here/LICENSE.jssip.md"
