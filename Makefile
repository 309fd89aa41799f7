# trawl — see README.md. `make demo` and `make test` work on a fresh machine.
GO      ?= go
BIN     := bin/trawl
FUZZTIME ?= 60s

# The engine's SIMD paths (identifiers/simd_amd64.go) need Go's SIMD
# experiment; a build without it takes the portable word-at-a-time paths,
# which `make test` tests too.
export GOEXPERIMENT := simd

.PHONY: all build demo test lint bench fuzz hostile fixtures deps clean tools lambda e2e chromium

# The S3 tests run against this MinIO release (the last before upstream
# archived the project), built from source into .tools/ once.
MINIO_VERSION := v0.0.0-20260212201848-7aac2a2c5b7c

all: build

build:
	$(GO) build -o $(BIN) ./cmd/trawl

# The Lambda function's packages for the provided.al2023 runtime: a zip
# holding bootstrap, per architecture. arm64 takes the portable paths (the
# SIMD ones are amd64's).
lambda:
	mkdir -p dist/lambda-arm64 dist/lambda-amd64
	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 GOEXPERIMENT= $(GO) build -tags lambda.norpc -trimpath -o dist/lambda-arm64/bootstrap ./cmd/trawl-lambda
	CGO_ENABLED=0 GOOS=linux GOARCH=amd64 $(GO) build -tags lambda.norpc -trimpath -o dist/lambda-amd64/bootstrap ./cmd/trawl-lambda
	cd dist/lambda-arm64 && rm -f ../trawl-lambda-arm64.zip && zip -q ../trawl-lambda-arm64.zip bootstrap
	cd dist/lambda-amd64 && rm -f ../trawl-lambda-amd64.zip && zip -q ../trawl-lambda-amd64.zip bootstrap

# Scans the bundled sample data into a store of its own (bin/demo.db, made
# afresh), then lists the findings it kept; exit code 1 means "findings",
# which is the point.
demo: build
	rm -f bin/demo.db bin/demo.db-wal bin/demo.db-shm
	./$(BIN) scan testdata/sample --managed-identifiers all --format table --store bin/demo.db; \
	  code=$$?; [ $$code -eq 0 ] || [ $$code -eq 1 ]
	./$(BIN) findings stats --group-by severity.description --store bin/demo.db

# Everything the tests need comes from the Go module proxy.
deps:
	$(GO) mod download

# MinIO for the S3 tests; built only when missing (about 5 minutes cold).
.tools/minio:
	GOEXPERIMENT= GOBIN=$(CURDIR)/.tools $(GO) install github.com/minio/minio@$(MINIO_VERSION)

tools: .tools/minio .tools/staticcheck

test: deps lint tools chromium
	$(GO) test -count=1 ./...
	$(GO) test -count=1 -race -short ./scanner ./findings ./formats ./formats/archive ./identifiers
	GOEXPERIMENT= $(GO) test -count=1 ./identifiers

# staticcheck (its default checks, with U1000 for unused code), built
# into .tools/ once from the Go module proxy. It runs with and without the
# SIMD experiment, as vet does: code used by one build only is not dead.
STATICCHECK_VERSION := v0.8.2

.tools/staticcheck:
	GOEXPERIMENT= GOBIN=$(CURDIR)/.tools $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

lint: .tools/staticcheck
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	GOEXPERIMENT= $(GO) vet ./identifiers
	.tools/staticcheck ./...
	GOEXPERIMENT= .tools/staticcheck ./identifiers

# Go benchmarks of the engine, formats, scanner and S3 scans (local MinIO),
# then the end-to-end throughput and memory run.
bench: build tools .bench/doc-60m.txt
	$(GO) test -run '^$$' -bench . -benchmem ./identifiers ./formats ./scanner
	$(GO) test -run '^$$' -bench . -benchtime 3x ./scanner/s3source
	$(GO) test -run '^$$' -bench . -benchtime 3x ./cmd/trawl-lambda/...
	$(GO) test -run '^$$' -bench 'SecondRun|Diff1M' -benchtime 1x -timeout 30m ./scanner/jobs
	GOEXPERIMENT= $(GO) test -run '^$$' -bench Throughput -benchtime 3x ./cmd/trawl-lambda/handler
	$(GO) test -run '^$$' -bench 'Store1M|Record|ScanRecording' -benchtime 10x -timeout 60m ./findings/store ./cmd/trawl
	$(GO) run ./internal/benchrun -bin $(BIN)

# Real English documentation for the custom identifier benchmarks.
.bench/doc-60m.txt:
	mkdir -p .bench && sh internal/benchrun/doc-corpus.sh $@

# Headless Chromium for the report's and dashboard's browser tests; runs
# as root in CI, hence --no-sandbox in the tests.
chromium:
	@command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)

# The report and the dashboard in a real headless Chromium, over stores
# filled by real scans (make test runs them too when chromium is there;
# here a missing browser fails). Screenshots go to $$TRAWL_SCREENSHOTS
# when set. Then the report and each page over the 1,000,000-finding
# store that make bench fills (skipped when it is not there).
e2e: chromium
	TRAWL_E2E=1 $(GO) test -count=1 -run 'Browser|Report|Dashboard|Serve' ./cmd/trawl ./findings/view
	TRAWL_E2E=1 $(GO) test -count=1 -run '^$$' -bench View1M -benchtime 3x -timeout 60m ./cmd/trawl

# Each fuzz target for FUZZTIME (go test runs one target at a time).
fuzz: tools
	@set -e; for pkg in ./formats ./formats/archive ./scanner ./scanner/s3source ./identifiers; do \
	  for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "== $$pkg $$t"; $(GO) test $$pkg -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME); \
	  done; done

# The hostile battery at full size: inputs built in the tests (a 1 MB PDF
# or Avro file holding a 1 GiB string, 2,000,000 zip entries, 16 nested
# zips on 16 workers...), scanned by trawl as a child whose peak RSS is
# checked. `make test` runs the same tests scaled down.
hostile:
	$(GO) test -tags hostile -count=1 -timeout 60m -run Hostile ./...

# Regenerates testdata/sample and its expectations (needs ssh-keygen), and
# the format fixtures with the programs that make them (LibreOffice, jq,
# Python, qpdf), installing those from Debian's packages first.
fixtures:
	$(GO) run ./internal/fixtures testdata/sample
	apt-get install -y --no-install-recommends libreoffice-calc-nogui libreoffice-writer-nogui libreoffice-impress-nogui jq python3 qpdf \
	  zip bzip2 xz-utils zstd 7zip tar gzip
	for s in testdata/formats/make-*.sh testdata/archives/make-*.sh; do bash $$s; done

clean:
	rm -rf bin .bench dist
