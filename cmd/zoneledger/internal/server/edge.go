package server

import (
	"context"

	"google.golang.org/protobuf/proto"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/ledger/grpcedge"
	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

// Defaults of the limits on what calls hold in flight (Config).
const (
	// DefaultMaxPostingsPerCall bounds the postings of one PostJournal or
	// PostJournals call.
	DefaultMaxPostingsPerCall = 20000
	// DefaultMaxInFlightBytes bounds the request bytes (protobuf size) of
	// all the calls the server is handling at once.
	DefaultMaxInFlightBytes = 4 << 20
	// DefaultMaxPrincipalInFlightBytes bounds the request bytes of the
	// calls one principal has in flight at once, and so the size of one
	// call.
	DefaultMaxPrincipalInFlightBytes = 2 << 20
)

// newLimiter bounds what calls hold in flight by cfg's limits (0: the
// default): the postings of a ledger write, the request bytes of a
// principal (access.FromContext) and of the server.
func newLimiter(cfg Config) *grpcedge.Limiter {
	orDefault := func(v, d int64) int64 {
		if v <= 0 {
			return d
		}
		return v
	}
	return grpcedge.NewLimiter(grpcedge.Limits{
		MaxItemsPerCall:           int(orDefault(int64(cfg.MaxPostingsPerCall), DefaultMaxPostingsPerCall)),
		MaxInFlightBytes:          orDefault(cfg.MaxInFlightBytes, DefaultMaxInFlightBytes),
		MaxPrincipalInFlightBytes: orDefault(cfg.MaxPrincipalInFlightBytes, DefaultMaxPrincipalInFlightBytes),
		Items:                     postings,
		ItemNoun:                  "postings",
		Principal: func(ctx context.Context) string {
			p, _ := access.FromContext(ctx)
			return p.ID
		},
	})
}

// postings counts the postings of a ledger write request.
func postings(m proto.Message) int {
	switch r := m.(type) {
	case *ledgerv1.PostJournalRequest:
		return len(r.GetPostings())
	case *ledgerv1.PostJournalsRequest:
		n := 0
		for _, j := range r.GetJournals() {
			n += len(j.GetPostings())
		}
		return n
	}
	return 0
}
