package grpcedge_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/grpcedge"
)

// TestItemAnswersWhatTheItemAloneWould: a batch item's error has the code
// name google.rpc.Code gives (CANCELLED, RESOURCE_EXHAUSTED: the copies
// this package replaced spelled them "CANCELED" and "ResourceExhausted"),
// the reason and field of the error, and its message without the field.
func TestItemAnswersWhatTheItemAloneWould(t *testing.T) {
	cases := []struct {
		err                          error
		code, reason, field, message string
	}{
		{ledger.Precondition("INSUFFICIENT_QUANTITY", "postings[0].quantity", "only 2 left"),
			"FAILED_PRECONDITION", "INSUFFICIENT_QUANTITY", "postings[0].quantity", "only 2 left"},
		{ledger.Errorf(ledger.KindResourceExhausted, ledger.ReasonRequestTooLarge, "", "split it"),
			"RESOURCE_EXHAUSTED", ledger.ReasonRequestTooLarge, "", "split it"},
		{context.Canceled, "CANCELLED", "", "", "request cancelled"},
		{context.DeadlineExceeded, "DEADLINE_EXCEEDED", "", "", "deadline exceeded; retry with the same idempotency key"},
	}
	for _, c := range cases {
		got := grpcedge.Item(c.err)
		want := grpcedge.ItemError{Code: c.code, Reason: c.reason, Field: c.field, Message: c.message}
		if got != want {
			t.Errorf("Item(%v) = %+v, want %+v", c.err, got, want)
		}
	}
	// An unavailable error with a cause keeps its advice and gets the id
	// its cause is logged under; the cause stays out.
	got := grpcedge.Item(&ledger.Error{Kind: ledger.KindUnavailable, Reason: ledger.ReasonUnavailable,
		Message: "could not reach the database; retry", Err: errors.New("dial tcp 10.1.2.3:5432: connection refused")})
	if got.Code != "UNAVAILABLE" || !strings.HasPrefix(got.Message, "could not reach the database; retry (error id ") || strings.Contains(got.Message, "10.1.2.3") {
		t.Errorf("unavailable: %+v", got)
	}
}

// TestPageTokens: a token carries its key back; a token the server did not
// issue, or an integer key out of range, is refused naming page_token.
func TestPageTokens(t *testing.T) {
	if k, err := grpcedge.DecodePageToken(grpcedge.EncodePageToken("B-7")); k != "B-7" || err != nil {
		t.Fatalf("round trip: %q, %v", k, err)
	}
	if tok := grpcedge.NextPageToken(99, 100, "x"); tok != "" {
		t.Errorf("a short page has next token %q", tok)
	}
	if n, err := grpcedge.DecodeIntPageToken(grpcedge.NextPageToken(100, 100, "42"), math.MaxInt32); n != 42 || err != nil {
		t.Errorf("int token: %d, %v", n, err)
	}
	for _, tok := range []string{"%%", grpcedge.EncodePageToken("x"), grpcedge.EncodePageToken("-1"), grpcedge.EncodePageToken("3000000000")} {
		_, err := grpcedge.DecodeIntPageToken(tok, math.MaxInt32)
		if le := ledger.AsError(err); err == nil || le.Kind != ledger.KindInvalid || le.Field != "page_token" {
			t.Errorf("token %q: %v, want INVALID_ARGUMENT on page_token", tok, err)
		}
	}
	for in, want := range map[int32]int{0: 100, -1: 100, 7: 7, 1000: 1000, 5000: 1000} {
		if got := grpcedge.PageSize(in); got != want {
			t.Errorf("PageSize(%d) = %d, want %d", in, got, want)
		}
	}
}
