package post

import (
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// A whole-call refusal reads as the per-item error of the item it names:
// the item's place (and the levels below it that per-item errors leave
// out) goes from the field and the message.
func TestRefusalIsRelativeToTheItem(t *testing.T) {
	refusal := func(field, msg string) error {
		st, err := status.New(codes.InvalidArgument, msg).WithDetails(
			&errdetails.ErrorInfo{Reason: "INVALID_ARGUMENT", Domain: "zoneledger", Metadata: map[string]string{"field": field}})
		if err != nil {
			t.Fatal(err)
		}
		return st.Err()
	}
	for _, c := range []struct {
		list, field, msg string
		below            []string
		wantField        string
		wantMsg          string
	}{
		{"journals", "journals[3].postings[0].quantity", "journals[3].postings[0].quantity: too long", nil, "postings[0].quantity", "postings[0].quantity: too long"},
		{"journals", "book_no", "book_no: unknown", nil, "book_no", "book_no: unknown"},
		{"documents", "documents[3].order.lines[0].price", "documents[3].order.lines[0].price: bad", []string{"order"}, "lines[0].price", "lines[0].price: bad"},
		{"documents", "documents[3].order", "documents[3].order: bad", []string{"order"}, "", "order: bad"},
		{"documents", "documents[3].enterprise", "documents[3].enterprise: not yours", []string{"order"}, "enterprise", "enterprise: not yours"},
		{"documents", "documents[3]", "give an order", []string{"order"}, "", "give an order"},
		{"documents", "documents[31].order.amount", "x", []string{"order"}, "documents[31].order.amount", "x"},
	} {
		code, reason, field, msg := Batch{List: c.list}.Refusal(refusal(c.field, c.msg), 3, c.below...)
		if code != "INVALID_ARGUMENT" || reason != "INVALID_ARGUMENT" || field != c.wantField || msg != c.wantMsg {
			t.Errorf("%s %q: %s %s %q %q, want field %q, message %q", c.list, c.field, code, reason, field, msg, c.wantField, c.wantMsg)
		}
	}
}
