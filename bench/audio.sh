#!/usr/bin/env bash
# Prints the audio package's figures: resampler quality next to sox's on the
# same signals, resampler speed, and importing a 60 s MP3 into the telephony
# format. Needs sox and lame (scripts/deps.sh test).
# Usage: bench/audio.sh [benchtime]   (default 5x)
set -euo pipefail
cd "$(dirname "$0")/.."
bt=${1:-5x}
echo "== resampler quality (ours vs sox), 44.1 -> 16 kHz"
go test -count=1 -run 'TestResampleQualityAgainstSox' -v ./audio/ | sed -n '/44.1 -> 16 kHz/,/^$/p'
echo "== loudness normalisation (target -19 LUFS)"
go test -count=1 -run 'TestNormalize|TestImportGoodFiles' -v ./audio/ | grep -E 'LUFS'
echo "== speed (load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores)"
go test -run XXX -bench 'BenchmarkResample$|BenchmarkImport(MP3|OGG)60s' -benchtime "$bt" ./audio/ | grep -E '^Benchmark'
