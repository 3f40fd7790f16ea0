package post

import (
	"context"
	"strconv"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/zoneledger/zoneledger/cmd/zonectl/internal/output"
	errorsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/errors/v1"
)

// Batch says how to send a file's items in bulk calls: Send sends the
// items at positions idx in one call and records each answer itself,
// returning the call's error (nil once answered); Refuse records a
// whole-call error as item i's refusal, k being its place in the call;
// List is the request field that holds the items ("journals",
// "documents"), which whole-call errors name ("journals[3].postings[0]").
type Batch struct {
	List   string
	Send   func(ctx context.Context, idx []int) error
	Refuse func(i int, err error, k int)
}

// Chunks sends positions 0 … n−1 in calls of at most size, in order, each
// with Isolate, and reports the positions done after each call. It stops
// at the first error Isolate returns.
func (b Batch) Chunks(ctx context.Context, n, size int, progress func(done int)) error {
	for start := 0; start < n; start += size {
		end := min(start+size, n)
		idx := make([]int, 0, end-start)
		for i := start; i < end; i++ {
			idx = append(idx, i)
		}
		if err := b.Isolate(ctx, idx); err != nil {
			return err
		}
		if progress != nil {
			progress(end)
		}
	}
	return nil
}

// Isolate sends idx in one call. When the call is refused as a whole for
// something about what was sent, the item its field names is refused on
// its own and the rest sent again; when no item is named, each is sent
// alone, so that one bad item never blocks the others. It returns an error
// only when the run must stop (the connection, the server).
func (b Batch) Isolate(ctx context.Context, idx []int) error {
	for len(idx) > 0 {
		err := b.Send(ctx, idx)
		if err == nil {
			return nil
		}
		if !isolatable(err) {
			return err
		}
		if k, ok := b.culprit(err, len(idx)); ok {
			b.Refuse(idx[k], err, k)
			idx = append(idx[:k:k], idx[k+1:]...)
			continue
		}
		if len(idx) == 1 {
			b.Refuse(idx[0], err, 0)
			return nil
		}
		for _, i := range idx {
			if err := b.Isolate(ctx, []int{i}); err != nil {
				return err
			}
		}
		return nil
	}
	return nil
}

// isolatable reports whether a whole-call error is about the items sent
// rather than the connection or the server.
func isolatable(err error) bool {
	switch status.Code(err) {
	case codes.InvalidArgument, codes.PermissionDenied, codes.NotFound,
		codes.FailedPrecondition, codes.AlreadyExists, codes.OutOfRange:
		return true
	}
	return false
}

// culprit returns the place in the call of the item a whole-call error
// names in its field ("journals[3].postings[0].quantity": 3).
func (b Batch) culprit(err error, n int) (int, bool) {
	rest, ok := strings.CutPrefix(errorsv1.FieldOf(err), b.List+"[")
	if !ok {
		return 0, false
	}
	digits, _, ok := strings.Cut(rest, "]")
	if !ok || digits == "" || strings.Trim(digits, "0123456789") != "" {
		return 0, false
	}
	k, convErr := strconv.Atoi(digits)
	if convErr != nil || k >= n {
		return 0, false
	}
	return k, true
}

// Refusal words a whole-call error as the refusal of the item at place k of
// the call, as an answered call's per-item error says it: the gRPC code's
// name, the reason, and the field and message relative to the item
// ("journals[3].postings[0].quantity" -> "postings[0].quantity"). below are
// levels under the item that per-item errors leave out too (a oneof's
// member: "order"); a field naming the item or such a level becomes "".
func (b Batch) Refusal(err error, k int, below ...string) (code, reason, field, msg string) {
	st := status.Convert(err)
	root := b.List + "[" + strconv.Itoa(k) + "]"
	levels := make([]string, 0, len(below)+1) // the deepest first
	for _, l := range below {
		levels = append(levels, root+"."+l)
	}
	levels = append(levels, root)
	field, msg = errorsv1.FieldOf(err), st.Message()
	for _, l := range levels {
		if field == l {
			field = ""
			break
		}
		if rest, ok := strings.CutPrefix(field, l+"."); ok {
			field = rest
			break
		}
	}
	for _, l := range levels {
		msg = strings.ReplaceAll(msg, l+".", "")
	}
	return output.CodeName(st.Code()), errorsv1.ReasonOf(err), field, output.TidyMessage(msg, field)
}
