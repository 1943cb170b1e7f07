# Ringside: `make run` installs what is missing and runs the app; `make test` runs the whole suite.
GO ?= go
TAGS := migrated_fynedo
BIN := bin/ringside

.PHONY: run test build deps bench clean

run: build
	./$(BIN)

# bin/ringside is the command and launcher (static, no GUI: quick for scripts);
# bin/ringside-app, beside it, is the app it starts and hands verbs to.
build:
	scripts/deps.sh run
	CGO_ENABLED=0 $(GO) build -o $(BIN) ./cmd/ringside
	$(GO) build -tags $(TAGS) -o $(BIN)-app ./cmd/ringside-app

deps:
	scripts/deps.sh test

test:
	scripts/test.sh

bench:
	scripts/bench.sh

clean:
	rm -rf bin
