package main

import (
	"slices"
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

var (
	bookView       = cols[*ledgerv1.Book]("book_id", "name", "owner", "accounts/,", "closed_through", "attributes", "created_at")
	itemView       = cols[*ledgerv1.Item]("book_id", "code", "unit", "scale", "name", "attributes")
	balanceColumns = []string{"book_id=account.book_id", "account=account.name", "item_book_id", "item_code", "unit", "quantity", "value"}
	balanceView    = cols[*ledgerv1.Balance](balanceColumns...)
	// balanceLotView has a lot column after item_code.
	balanceLotView = cols[*ledgerv1.Balance](slices.Insert(slices.Clone(balanceColumns), 4, "lot")...)
	dayTotalView   = cols[*ledgerv1.DayTotal]("book_id=account.book_id", "account=account.name", "item_book_id", "item_code", "day",
		"quantity_in", "quantity_out", "value_in", "value_out")
	periodView = cols[*ledgerv1.Period]("book_id", "from", "through", "journal_count", "digest", "previous_digest", "closed_at")
	tokenView  = cols[*adminv1.TokenInfo]("token_id", "principal_id", "description", "created_at", "expires_at", "revoked_at")
)

// journalView flattens a journal into one row per posting; the
// journal-level columns repeat on every row.
var journalView = flat[*ledgerv1.Journal]([]string{"journal_id?", "book_id", "idempotency_key", "effective_date",
	"doc_type=document.type", "doc_number=document.number", "trade_mode=document.trade_mode"}, "postings",
	"posting=#0", "item_book_id", "item_code", "from_book=from.book_id", "from_account=from.name", "to_book=to.book_id",
	"to_account=to.name", "quantity", "unit", "value", "lot", "^reversal_of?", "^reversed_by?", "^principal", "^committed_at")

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
