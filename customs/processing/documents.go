package processing

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/zone"
)

// scanJSON reads a row's one column, a document's JSON body, into a T.
func scanJSON[T any](row pgx.CollectableRow) (T, error) {
	var body string
	var v T
	if err := row.Scan(&body); err != nil {
		return v, err
	}
	return v, jsonUnmarshal(body, &v)
}

// documentBy reads the one document of table (its JSON body) that where
// selects; found is false when there is none.
func documentBy[T any](ctx context.Context, q querier, table, where string, args ...any) (d T, found bool, err error) {
	rows, err := q.Query(ctx, `SELECT body FROM `+table+` WHERE `+where, args...)
	if err != nil {
		return d, false, err
	}
	d, err = pgx.CollectExactlyOneRow(rows, scanJSON[T])
	if errors.Is(err, pgx.ErrNoRows) {
		return d, false, nil
	}
	return d, err == nil, err
}

// readable returns to p the document of table numbered no, or missing —
// also when p may not read the enterprise that owns it (owner), so nobody
// learns another enterprise's document numbers.
func readable[T any](ctx context.Context, q querier, p access.Principal, table, no string, owner func(T) string, missing error) (T, error) {
	d, found, err := documentBy[T](ctx, q, table, `no = $1`, no)
	var zero T
	if err != nil {
		return zero, dbError(err)
	}
	if !found {
		return zero, missing
	}
	if err := zone.HideFrom(p, owner(d), missing); err != nil {
		return zero, err
	}
	return d, nil
}
