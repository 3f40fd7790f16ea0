# Developer and CI entry points. CI runs .ci/run, which calls `make test`.

GO ?= go

.PHONY: test demo lint bench

test:
	$(GO) test -race -count=1 -timeout 20m ./...

demo:
	$(GO) run ./cmd/zoneledger demo

lint:
	@files="$$(git ls-files '*.go')"; \
	if [ -n "$$files" ]; then \
		bad="$$(gofmt -l $$files)"; \
		if [ -n "$$bad" ]; then echo "gofmt would change (run gofmt -w):"; echo "$$bad"; exit 1; fi; \
	fi
	$(GO) vet ./...
	@sc="$$($(GO) env GOPATH)/bin/staticcheck"; \
	if [ -x "$$sc" ]; then "$$sc" ./...; else echo "staticcheck is not installed: go install honnef.co/go/tools/cmd/staticcheck@v0.8.2"; fi

bench:
	$(GO) test -run '^$$' -bench . -benchtime 3s ./ledger/pgstore/
