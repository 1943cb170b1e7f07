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
echo "== MP3 decoder (audio/internal/mp3) against go-mp3 v0.3.4's output, and Import's MP3 path against a full decode"
go test -count=1 -run 'TestMatchesGoMP3' -v ./audio/internal/mp3/ | grep -E 'differ by'
go test -count=1 -run 'TestMP3ImportPathMatchesFullDecode' -v ./audio/ | grep -E 'below the signal'
echo "== speed (load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores)"
go test -run XXX -bench 'BenchmarkResample$|BenchmarkImport(MP3|OGG)60s' -benchtime "$bt" ./audio/ | grep -E '^Benchmark'
go test -run XXX -bench 'BenchmarkDecode' -benchtime 100x ./audio/internal/mp3/ | grep -E '^Benchmark'
