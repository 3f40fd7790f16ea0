#!/bin/sh
# Regenerate the Go code beside the .proto files. Run from anywhere:
#   proto/gen.sh            buf lint && buf generate && buf build (the image of proto/zoneledger/docs.go)
#   proto/gen.sh install    install the pinned tools first (go install into $(go env GOPATH)/bin)
set -eu
cd "$(dirname "$0")/.."
PATH="$(go env GOPATH)/bin:$PATH"
export PATH

if [ "${1:-}" = install ]; then
	go install github.com/bufbuild/buf/cmd/buf@v1.75.0
	go install google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.12
	go install google.golang.org/grpc/cmd/protoc-gen-go-grpc@v1.6.2
fi

buf lint
buf generate
# The protos with their comments, for help text (proto/zoneledger/docs.go).
buf build --exclude-imports --path proto/zoneledger -o proto/zoneledger/descriptors.binpb
