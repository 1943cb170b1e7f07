# Ringside: `make run` installs what is missing and runs the app; `make test` runs the whole suite.
GO ?= go
TAGS := migrated_fynedo
BIN := bin/ringside

.PHONY: run test build deps bench clean

run: build
	./$(BIN)

build:
	scripts/deps.sh run
	$(GO) build -tags $(TAGS) -o $(BIN) ./cmd/ringside

deps:
	scripts/deps.sh test

test:
	scripts/test.sh

bench:
	scripts/bench.sh

clean:
	rm -rf bin
