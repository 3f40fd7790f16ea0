package tests

// RndService over gRPC: a bonded R&D book's project, a use written off by
// the quantity actually used, and refusals with their code, reason and
// field.

import (
	"fmt"
	"testing"

	"google.golang.org/grpc/codes"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// TestRndOverTheWire: a project on E's R&D book; a use of 2.5 kg of PE
// making one prototype, retried and booked once; a zone book, a reused
// project code, an unknown project and more PE than there is refused on
// the wire, moving nothing; the project's totals.
func TestRndOverTheWire(t *testing.T) {
	z := newZoneEnv(t)
	e := z.enterprise(t, "Rnd One")
	book := z.newBook(t, e, fmt.Sprintf("H3105%07d", nextZoneSeq()), customsv1.BookKind_BOOK_KIND_RND)
	hBook := z.hBook(t, e)
	z.stockIn(t, e, book, linePE, "10", "160")
	rc := customsv1.NewRndServiceClient(z.s.Conn())
	ctx := ctxAs(t, e.tok)
	_, err := rc.FileRndProject(ctx, &customsv1.FileRndProjectRequest{BookNo: hBook, Code: "P1", Name: "on a zone book"})
	wantRefused(t, err, codes.FailedPrecondition, "NOT_AN_RND_BOOK", "book_no", "a project on a zone book")
	if _, err := rc.FileRndProject(ctx, &customsv1.FileRndProjectRequest{BookNo: book, Code: "P1", Name: "battery cell", Start: day(-5)}); err != nil {
		t.Fatalf("FileRndProject: %v", err)
	}
	_, err = rc.FileRndProject(ctx, &customsv1.FileRndProjectRequest{BookNo: book, Code: "P1", Name: "another", Start: day(-5)})
	wantRefused(t, err, codes.AlreadyExists, "DUPLICATE_DOCUMENT_NUMBER", "code", "another project under the code")
	use := &customsv1.FileRndUseRequest{InnerNo: "R-1", BookNo: book, Project: "P1", Materials: []*customsv1.RndMaterial{{BookSeq: linePE, Quantity: "2.5"}},
		Outputs: []*customsv1.RndOutput{{BookSeq: lineNotebook, Quantity: "1", Kind: customsv1.RndOutputKind_RND_OUTPUT_KIND_PROTOTYPE}}}
	_, err = rc.FileRndUse(ctx, &customsv1.FileRndUseRequest{InnerNo: "R-0", BookNo: book, Project: "NOPE", Materials: use.Materials})
	wantRefused(t, err, codes.NotFound, "UNKNOWN_RND_PROJECT", "project", "an unknown project")
	_, err = rc.FileRndUse(ctx, &customsv1.FileRndUseRequest{InnerNo: "R-0", BookNo: book, Project: "P1", Materials: []*customsv1.RndMaterial{{BookSeq: linePE, Quantity: "10.5"}}})
	wantRefused(t, err, codes.FailedPrecondition, "INSUFFICIENT_BONDED_STOCK", "materials[0].quantity", "more PE than there is")
	z.wantStock(t, book, linePE, st{bonded: "10"})
	u1, err := rc.FileRndUse(ctx, use)
	if err != nil {
		t.Fatalf("FileRndUse: %v", err)
	}
	u2, err := rc.FileRndUse(ctx, use)
	if err != nil || u2.GetUse().GetUseNo() != u1.GetUse().GetUseNo() {
		t.Fatalf("retry: %v, %v", u2, err)
	}
	z.wantStock(t, book, linePE, st{bonded: "7.5"})
	z.wantStock(t, book, lineNotebook, st{bonded: "1"})
	p, err := rc.GetRndProject(ctxAs(t, z.customs), &customsv1.GetRndProjectRequest{BookNo: book, Code: "P1"})
	if err != nil || p.GetUses() != 1 || len(p.GetConsumed()) != 1 || p.GetConsumed()[0].GetQuantity() != "2.5" ||
		len(p.GetMade()) != 1 || p.GetMade()[0].GetKind() != customsv1.RndOutputKind_RND_OUTPUT_KIND_PROTOTYPE {
		t.Fatalf("project on the wire: %v, %v", p, err)
	}
}
