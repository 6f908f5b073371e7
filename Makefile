# kcstack — build, test, lint, fuzz, bench.
GO        ?= go
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -X github.com/kcstack/kcstack/internal/cli.Version=$(VERSION)
FUZZTIME  ?= 60s

.PHONY: build test lint fuzz bench clean

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/kcstack ./cmd/kcstack

# The README's test command: everything, with the race detector.
test:
	$(GO) test -race -count=1 -timeout 45m ./...

lint:
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

# Long fuzzing runs, one target at a time (go test allows one -fuzz per package).
fuzz:
	$(GO) test ./pkg/stack -run '^$$' -fuzz '^FuzzLoad$$' -fuzztime $(FUZZTIME)

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

clean:
	rm -rf bin .kcstack
