package main

import (
	"encoding/hex"
	"sort"
	"strconv"
	"strings"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	adminv1 "github.com/zoneledger/zoneledger/proto/zoneledger/admin/v1"
	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

// This file maps each result message to the columns of its table and CSV
// form. Decimal strings are copied as the server sent them.

func ts(t *timestamppb.Timestamp) string {
	if t == nil {
		return ""
	}
	return t.AsTime().UTC().Format(time.RFC3339)
}

func id(n int64) string {
	if n == 0 {
		return ""
	}
	return strconv.FormatInt(n, 10)
}

// attrs renders a string map as "k=v;k=v", sorted by key.
func attrs(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + m[k]
	}
	return strings.Join(parts, ";")
}

var bookHeader = []string{"book_id", "name", "owner", "accounts", "closed_through", "attributes", "created_at"}

func bookRow(b *ledgerv1.Book) []string {
	return []string{b.GetBookId(), b.GetName(), b.GetOwner(), strings.Join(b.GetAccounts(), ","),
		b.GetClosedThrough(), attrs(b.GetAttributes()), ts(b.GetCreatedAt())}
}

var bookView = rowView(bookHeader, bookRow)

var itemHeader = []string{"book_id", "code", "unit", "scale", "name", "attributes"}

func itemRow(it *ledgerv1.Item) []string {
	return []string{it.GetBookId(), it.GetCode(), it.GetUnit(), strconv.FormatUint(uint64(it.GetScale()), 10),
		it.GetName(), attrs(it.GetAttributes())}
}

var itemView = rowView(itemHeader, itemRow)

// journalHeader flattens a journal into one row per posting; the
// journal-level columns repeat on every row.
var journalHeader = []string{"journal_id", "book_id", "idempotency_key", "effective_date", "doc_type", "doc_number",
	"trade_mode", "posting", "item_book_id", "item_code", "from_book", "from_account", "to_book", "to_account",
	"quantity", "unit", "value", "lot", "reversal_of", "reversed_by", "principal", "committed_at"}

func journalRows(j *ledgerv1.Journal) [][]string {
	head := []string{id(j.GetJournalId()), j.GetBookId(), j.GetIdempotencyKey(), j.GetEffectiveDate(),
		j.GetDocument().GetType(), j.GetDocument().GetNumber(), j.GetDocument().GetTradeMode()}
	tail := []string{id(j.GetReversalOf()), id(j.GetReversedBy()), j.GetPrincipal(), ts(j.GetCommittedAt())}
	if len(j.GetPostings()) == 0 {
		row := append(append([]string{}, head...), "", "", "", "", "", "", "", "", "", "", "")
		return [][]string{append(row, tail...)}
	}
	rows := make([][]string, 0, len(j.GetPostings()))
	for i, p := range j.GetPostings() {
		row := append([]string{}, head...)
		row = append(row, strconv.Itoa(i), p.GetItemBookId(), p.GetItemCode(), p.GetFrom().GetBookId(), p.GetFrom().GetName(),
			p.GetTo().GetBookId(), p.GetTo().GetName(), p.GetQuantity(), p.GetUnit(), p.GetValue(), p.GetLot())
		rows = append(rows, append(row, tail...))
	}
	return rows
}

func balanceHeader(byLot bool) []string {
	if byLot {
		return []string{"book_id", "account", "item_book_id", "item_code", "lot", "unit", "quantity", "value"}
	}
	return []string{"book_id", "account", "item_book_id", "item_code", "unit", "quantity", "value"}
}

func balanceRow(b *ledgerv1.Balance, byLot bool) []string {
	if byLot {
		return []string{b.GetAccount().GetBookId(), b.GetAccount().GetName(), b.GetItemBookId(), b.GetItemCode(),
			b.GetLot(), b.GetUnit(), b.GetQuantity(), b.GetValue()}
	}
	return []string{b.GetAccount().GetBookId(), b.GetAccount().GetName(), b.GetItemBookId(), b.GetItemCode(),
		b.GetUnit(), b.GetQuantity(), b.GetValue()}
}

var dayTotalHeader = []string{"book_id", "account", "item_book_id", "item_code", "day",
	"quantity_in", "quantity_out", "value_in", "value_out"}

var dayTotalView = rowView(dayTotalHeader, dayTotalRow)

func dayTotalRow(t *ledgerv1.DayTotal) []string {
	return []string{t.GetAccount().GetBookId(), t.GetAccount().GetName(), t.GetItemBookId(), t.GetItemCode(), t.GetDay(),
		t.GetQuantityIn(), t.GetQuantityOut(), t.GetValueIn(), t.GetValueOut()}
}

var periodHeader = []string{"book_id", "from", "through", "journal_count", "digest", "previous_digest", "closed_at"}

var periodView = rowView(periodHeader, periodRow)

func periodRow(p *ledgerv1.Period) []string {
	return []string{p.GetBookId(), p.GetFrom(), p.GetThrough(), strconv.FormatInt(p.GetJournalCount(), 10),
		hex.EncodeToString(p.GetDigest()), hex.EncodeToString(p.GetPreviousDigest()), ts(p.GetClosedAt())}
}

var principalHeader = []string{"principal_id", "display_name", "role", "enterprise_id", "linked_enterprise_ids",
	"disabled", "created_at"}

func roleName(r adminv1.Role) string {
	return strings.ToLower(strings.TrimPrefix(r.String(), "ROLE_"))
}

var principalView = rowView(principalHeader, principalRow)

func principalRow(p *adminv1.Principal) []string {
	return []string{p.GetPrincipalId(), p.GetDisplayName(), roleName(p.GetRole()), p.GetEnterpriseId(),
		strings.Join(p.GetLinkedEnterpriseIds(), ","), strconv.FormatBool(p.GetDisabled()), ts(p.GetCreatedAt())}
}

var tokenHeader = []string{"token_id", "principal_id", "description", "created_at", "expires_at", "revoked_at"}

var tokenView = rowView(tokenHeader, tokenRow)

func tokenRow(t *adminv1.TokenInfo) []string {
	return []string{t.GetTokenId(), t.GetPrincipalId(), t.GetDescription(), ts(t.GetCreatedAt()),
		ts(t.GetExpiresAt()), ts(t.GetRevokedAt())}
}
