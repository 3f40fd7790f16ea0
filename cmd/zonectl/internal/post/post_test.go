package post

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

// fake answers PostJournals with answer, recording the keys of every call.
type fake struct {
	mu     sync.Mutex
	calls  [][]string
	answer func(keys []string) (*ledgerv1.PostJournalsResponse, error)
}

func (f *fake) PostJournals(_ context.Context, in *ledgerv1.PostJournalsRequest, _ ...grpc.CallOption) (*ledgerv1.PostJournalsResponse, error) {
	keys := make([]string, len(in.GetJournals()))
	for i, j := range in.GetJournals() {
		keys[i] = j.GetIdempotencyKey()
	}
	f.mu.Lock()
	f.calls = append(f.calls, keys)
	f.mu.Unlock()
	return f.answer(keys)
}

func journals(n int) []*ledgerv1.PostJournalRequest {
	out := make([]*ledgerv1.PostJournalRequest, n)
	for i := range out {
		out[i] = &ledgerv1.PostJournalRequest{BookId: "H1", IdempotencyKey: "k" + strconv.Itoa(i)}
	}
	return out
}

// perJournal answers every journal itself: keys in refuse are refused,
// keys in replay are replayed, the rest accepted.
func perJournal(refuse, replay map[string]bool) func([]string) (*ledgerv1.PostJournalsResponse, error) {
	return func(keys []string) (*ledgerv1.PostJournalsResponse, error) {
		resp := &ledgerv1.PostJournalsResponse{}
		for _, k := range keys {
			n, _ := strconv.Atoi(k[1:])
			switch {
			case refuse[k]:
				resp.Results = append(resp.Results, &ledgerv1.PostJournalResult{Error: &ledgerv1.JournalError{
					Code: "FAILED_PRECONDITION", Reason: "INSUFFICIENT_QUANTITY", Field: "postings[0].quantity", Message: "short"}})
			default:
				resp.Results = append(resp.Results, &ledgerv1.PostJournalResult{
					Journal: &ledgerv1.Journal{JournalId: int64(n + 1), IdempotencyKey: k}, Replayed: replay[k]})
			}
		}
		return resp, nil
	}
}

func TestChunksInOrder(t *testing.T) {
	f := &fake{answer: perJournal(map[string]bool{"k7": true, "k150": true}, map[string]bool{"k0": true})}
	var progress []int
	rep := Send(t.Context(), f, journals(250), Options{Progress: func(n int) { progress = append(progress, n) }})
	if rep.Err != nil {
		t.Fatal(rep.Err)
	}
	if len(f.calls) != 3 || len(f.calls[0]) != 100 || len(f.calls[1]) != 100 || len(f.calls[2]) != 50 {
		t.Fatalf("calls of %d, %d, %d journals", len(f.calls[0]), len(f.calls[1]), len(f.calls[2]))
	}
	if f.calls[1][0] != "k100" || f.calls[2][49] != "k249" {
		t.Errorf("order: %s ... %s", f.calls[1][0], f.calls[2][49])
	}
	if fmt.Sprint(progress) != "[100 200 250]" {
		t.Errorf("progress %v", progress)
	}
	if rep.Count(Accepted) != 247 || rep.Count(Replayed) != 1 || rep.Count(Refused) != 2 {
		t.Errorf("accepted %d replayed %d refused %d", rep.Count(Accepted), rep.Count(Replayed), rep.Count(Refused))
	}
	if rep.Outcomes[150].Error.GetReason() != "INSUFFICIENT_QUANTITY" || rep.Outcomes[151].Journal.GetJournalId() != 152 {
		t.Errorf("outcomes: %v %v", rep.Outcomes[150], rep.Outcomes[151])
	}
	if m := rep.RefusedByReason(); m["INSUFFICIENT_QUANTITY"] != 2 {
		t.Errorf("by reason %v", m)
	}
}

func invalidField(t *testing.T, field string) error {
	st, err := status.New(codes.InvalidArgument, field+": value does not match regex").WithDetails(
		&errdetails.ErrorInfo{Reason: "INVALID_ARGUMENT", Domain: "zoneledger", Metadata: map[string]string{"field": field}})
	if err != nil {
		t.Fatal(err)
	}
	return st.Err()
}

func TestMalformedJournalIsSetAsideAndTheRestResent(t *testing.T) {
	ok := perJournal(nil, nil)
	f := &fake{}
	f.answer = func(keys []string) (*ledgerv1.PostJournalsResponse, error) {
		for i, k := range keys {
			if k == "k2" {
				return nil, invalidField(t, fmt.Sprintf("journals[%d].postings[0].quantity", i))
			}
		}
		return ok(keys)
	}
	rep := Send(t.Context(), f, journals(5), Options{})
	if rep.Err != nil {
		t.Fatal(rep.Err)
	}
	if len(f.calls) != 2 || fmt.Sprint(f.calls[1]) != "[k0 k1 k3 k4]" {
		t.Fatalf("calls %v", f.calls)
	}
	o := rep.Outcomes[2]
	if o.Status != Refused || o.Error.GetField() != "postings[0].quantity" || o.Error.GetReason() != "INVALID_ARGUMENT" ||
		o.Error.GetCode() != "INVALID_ARGUMENT" || o.Error.GetMessage() != "postings[0].quantity: value does not match regex" {
		t.Errorf("refusal: %+v", o.Error)
	}
	if rep.Count(Accepted) != 4 {
		t.Errorf("accepted %d", rep.Count(Accepted))
	}
}

func TestWholeCallRefusalFallsBackToOneAtATime(t *testing.T) {
	ok := perJournal(nil, nil)
	f := &fake{}
	f.answer = func(keys []string) (*ledgerv1.PostJournalsResponse, error) {
		for _, k := range keys {
			if k == "k1" {
				return nil, status.Error(codes.PermissionDenied, "principal acme may not write book H2")
			}
		}
		return ok(keys)
	}
	rep := Send(t.Context(), f, journals(3), Options{})
	if rep.Err != nil {
		t.Fatal(rep.Err)
	}
	if len(f.calls) != 4 {
		t.Fatalf("calls %v", f.calls)
	}
	if rep.Outcomes[1].Status != Refused || rep.Outcomes[1].Error.GetCode() != "PERMISSION_DENIED" {
		t.Errorf("outcome 1: %+v", rep.Outcomes[1])
	}
	if rep.Count(Accepted) != 2 {
		t.Errorf("accepted %d", rep.Count(Accepted))
	}
}

func TestUnavailableStopsTheRun(t *testing.T) {
	ok := perJournal(nil, nil)
	f := &fake{}
	f.answer = func(keys []string) (*ledgerv1.PostJournalsResponse, error) {
		if keys[0] == "k4" {
			return nil, status.Error(codes.Unavailable, "connection refused")
		}
		return ok(keys)
	}
	rep := Send(t.Context(), f, journals(10), Options{Chunk: 2})
	if status.Code(rep.Err) != codes.Unavailable {
		t.Fatalf("err %v", rep.Err)
	}
	if rep.Count(Accepted) != 4 || rep.Count(Unanswered) != 6 {
		t.Errorf("accepted %d unanswered %d", rep.Count(Accepted), rep.Count(Unanswered))
	}
	if len(f.calls) != 3 {
		t.Errorf("kept calling after UNAVAILABLE: %v", f.calls)
	}
}

func TestShortAnswerStopsTheRun(t *testing.T) {
	f := &fake{answer: func([]string) (*ledgerv1.PostJournalsResponse, error) {
		return &ledgerv1.PostJournalsResponse{}, nil
	}}
	rep := Send(t.Context(), f, journals(2), Options{})
	if rep.Err == nil || rep.Count(Unanswered) != 2 {
		t.Errorf("err %v, unanswered %d", rep.Err, rep.Count(Unanswered))
	}
}
