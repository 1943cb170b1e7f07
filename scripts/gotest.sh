#!/usr/bin/env bash
# Runs gofmt, vet and the Go tests; called by scripts/test.sh once the services run.
# Packages run with -race, except the ones that link Fyne's OpenGL driver
# (cmd/ringside-app, and cmd/ringside whose tests build it): a race build of
# go-gl's cgo would cost another 4 minutes on a fresh machine, and their tests
# drive the real binaries anyway.
set -euo pipefail
cd "$(dirname "$0")/.."
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then echo "gofmt needed: $unformatted" >&2; exit 1; fi
tags=migrated_fynedo
go vet -tags $tags ./...
if [ $# -gt 0 ]; then exec go test -tags $tags -race -count=1 -timeout 20m "$@"; fi
mapfile -t race < <(go list -tags $tags ./... | grep -v '/cmd/ringside\(-app\)\?$')
status=0
go test -tags $tags -race -count=1 -timeout 20m "${race[@]}" || status=1
go test -tags $tags -count=1 -timeout 20m ./cmd/ringside || status=1
# Its own run, after cmd/ringside's: both map real "Ringside" windows on the
# one Xvfb, and this one owns the session bus's tray watcher name meanwhile.
go test -tags $tags -count=1 -timeout 10m ./cmd/ringside-app || status=1
# UI tests that drive real audio and calls: Fyne's test driver runs fyne.Do on
# the calling goroutine, so these are built without the race detector.
go test -tags $tags -count=1 -timeout 10m -run 'TestLibraryRecord|TestPhoneAnswer|TestPhoneAttendedTransfer|TestPhoneBlindTransfer' ./ui || status=1
# The Fyne fork's own tests (its own module; Ringside's changes only, see
# third_party/fyne/RINGSIDE.md). The GLFW driver's without -race, as above.
(cd third_party/fyne && go test -count=1 -race -run Ringside ./internal/painter/... ./widget/ ./lang/) || status=1
(cd third_party/fyne && go test -count=1 -run Ringside ./internal/driver/glfw/) || status=1
exit $status
