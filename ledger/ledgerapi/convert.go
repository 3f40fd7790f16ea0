package ledgerapi

import (
	"fmt"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/zoneledger/zoneledger/ledger"
	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

func tsOf(t time.Time) *timestamppb.Timestamp {
	if t.IsZero() {
		return nil
	}
	return timestamppb.New(t)
}

func dateOf(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return ledger.FormatDate(t)
}

// optDate parses an optional YYYY-MM-DD date.
func optDate(s, field string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return ledger.ParseDate(s, field)
}

func bookToProto(b ledger.Book) *ledgerv1.Book {
	return &ledgerv1.Book{BookId: b.ID, Name: b.Name, Owner: b.Owner, Accounts: b.Accounts, Attributes: b.Attributes,
		ClosedThrough: dateOf(b.ClosedThrough), CreatedAt: tsOf(b.CreatedAt)}
}

func itemToProto(it ledger.Item) *ledgerv1.Item {
	return &ledgerv1.Item{BookId: it.Book, Code: it.Code, Unit: it.Unit, Scale: uint32(it.Scale), Name: it.Name, Attributes: it.Attributes}
}

func accountToProto(a ledger.AccountRef) *ledgerv1.AccountRef {
	return &ledgerv1.AccountRef{BookId: a.Book, Name: a.Name}
}

func accountFromProto(a *ledgerv1.AccountRef) ledger.AccountRef {
	return ledger.AccountRef{Book: a.GetBookId(), Name: a.GetName()}
}

// JournalToProto converts a recorded journal to its wire form.
func JournalToProto(j ledger.Journal) *ledgerv1.Journal {
	out := &ledgerv1.Journal{
		JournalId: j.ID, BookId: j.Book, IdempotencyKey: j.IdempotencyKey, EffectiveDate: dateOf(j.EffectiveDate),
		Document:  &ledgerv1.Document{Type: j.Document.Type, Number: j.Document.Number, TradeMode: j.Document.TradeMode},
		Principal: j.Principal, Metadata: j.Metadata, ReversalOf: j.ReversalOf, ReversedBy: j.ReversedBy,
		CommittedAt: tsOf(j.CommittedAt), Hash: j.Hash,
	}
	for _, p := range j.Postings {
		pp := &ledgerv1.Posting{ItemCode: p.Item.Code, ItemBookId: p.Item.Book, From: accountToProto(p.From), To: accountToProto(p.To),
			Quantity: p.Quantity.String(), Value: p.Value.StringFixed(ledger.ValueScale), Unit: p.Unit, Lot: p.Lot, LotAttributes: p.LotAttributes}
		for _, l := range p.Legs {
			pp.Legs = append(pp.Legs, &ledgerv1.Leg{Lot: l.Lot, Quantity: l.Quantity.String(), Value: l.Value.StringFixed(ledger.ValueScale)})
		}
		out.Postings = append(out.Postings, pp)
	}
	return out
}

// JournalRequestFromProto converts a wire journal request, parsing every
// decimal and date strictly. principal is the authenticated caller.
func JournalRequestFromProto(r *ledgerv1.PostJournalRequest, principal string) (ledger.JournalRequest, error) {
	day, err := ledger.ParseDate(r.GetEffectiveDate(), "effective_date")
	if err != nil {
		return ledger.JournalRequest{}, err
	}
	out := ledger.JournalRequest{
		Book: r.GetBookId(), IdempotencyKey: r.GetIdempotencyKey(), EffectiveDate: day, Principal: principal,
		Document: ledger.Document{Type: r.GetDocument().GetType(), Number: r.GetDocument().GetNumber(), TradeMode: r.GetDocument().GetTradeMode()},
		Metadata: r.GetMetadata(),
	}
	for i, p := range r.GetPostings() {
		f := fmt.Sprintf("postings[%d]", i)
		q, err := ledger.ParseDecimal(p.GetQuantity(), f+".quantity")
		if err != nil {
			return ledger.JournalRequest{}, err
		}
		v, err := ledger.ParseOptionalDecimal(p.GetValue(), f+".value")
		if err != nil {
			return ledger.JournalRequest{}, err
		}
		itemBook := p.GetItemBookId()
		if itemBook == "" {
			itemBook = r.GetBookId()
		}
		if len(p.GetLegs()) != 0 {
			return ledger.JournalRequest{}, ledger.BadArgument(f+".legs", "are filled in by the ledger; leave them empty")
		}
		out.Postings = append(out.Postings, ledger.Posting{
			Item: ledger.ItemRef{Book: itemBook, Code: p.GetItemCode()}, From: accountFromProto(p.GetFrom()), To: accountFromProto(p.GetTo()),
			Quantity: q, Value: v, Unit: p.GetUnit(), Lot: p.GetLot(), LotAttributes: p.GetLotAttributes(),
		})
	}
	return out, nil
}

func holdingToProto(h ledger.Holding) *ledgerv1.Balance {
	return &ledgerv1.Balance{Account: accountToProto(h.Account), ItemBookId: h.Item.Book, ItemCode: h.Item.Code, Unit: h.Unit,
		Lot: h.Lot, Quantity: h.Quantity.String(), Value: h.Value.StringFixed(ledger.ValueScale)}
}

func dayTotalToProto(t ledger.DayTotal) *ledgerv1.DayTotal {
	return &ledgerv1.DayTotal{Account: accountToProto(t.Account), ItemBookId: t.Item.Book, ItemCode: t.Item.Code, Day: dateOf(t.Day),
		QuantityIn: t.QuantityIn.String(), QuantityOut: t.QuantityOut.String(),
		ValueIn: t.ValueIn.StringFixed(ledger.ValueScale), ValueOut: t.ValueOut.StringFixed(ledger.ValueScale)}
}

func periodToProto(p ledger.Period) *ledgerv1.Period {
	return &ledgerv1.Period{BookId: p.Book, From: dateOf(p.From), Through: dateOf(p.Through), JournalCount: p.JournalCount,
		Digest: p.Digest, PreviousDigest: p.PreviousDigest, ClosedAt: tsOf(p.ClosedAt)}
}
