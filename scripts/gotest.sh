#!/usr/bin/env bash
# Runs gofmt, vet and the Go tests; called by scripts/test.sh once the services run.
set -euo pipefail
cd "$(dirname "$0")/.."
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then echo "gofmt needed: $unformatted" >&2; exit 1; fi
go vet -tags migrated_fynedo ./...
pkgs=("$@"); [ ${#pkgs[@]} -eq 0 ] && pkgs=(./...)
go test -tags migrated_fynedo -race -count=1 -timeout 20m "${pkgs[@]}"
