package pgstore

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/zoneledger/zoneledger/ledger"
)

// inTx runs fn in a retried SERIALIZABLE transaction.
func (s *Store) inTx(ctx context.Context, fn func(pgx.Tx) error) error {
	_, err := s.runner.Run(ctx, fn)
	if err != nil {
		return storeError(err)
	}
	return nil
}

// CreateBook implements ledger.Store.
func (s *Store) CreateBook(ctx context.Context, b ledger.Book) (ledger.Book, error) {
	if err := ledger.ValidateBook(b); err != nil {
		return ledger.Book{}, err
	}
	var out ledger.Book
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		existing, err := queryBooks(ctx, tx, `WHERE b.id = $1`, b.ID)
		if err != nil {
			return err
		}
		if len(existing) == 1 {
			e := existing[0]
			want := slices.Sorted(slices.Values(b.Accounts))
			if e.Name == b.Name && e.Owner == b.Owner && slices.Equal(e.Accounts, want) && maps.Equal(e.Attributes, b.Attributes) {
				out = e
				return nil
			}
			return ledger.Conflict(ledger.ReasonBookExists, "book_id", "book %q already exists with a different definition", b.ID)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO ledger_books (id, name, owner, attributes) VALUES ($1, $2, $3, $4)`,
			b.ID, b.Name, b.Owner, encodeMap(b.Attributes)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO ledger_book_seqs (book, value) VALUES ($1, 0) ON CONFLICT (book) DO NOTHING`, b.ID); err != nil {
			return err
		}
		if err := insertAccounts(ctx, tx, b.ID, b.Accounts); err != nil {
			return err
		}
		bs, err := queryBooks(ctx, tx, `WHERE b.id = $1`, b.ID)
		if err != nil {
			return err
		}
		out = bs[0]
		return nil
	})
	return out, err
}

func insertAccounts(ctx context.Context, tx pgx.Tx, book string, names []string) error {
	if len(names) == 0 {
		return nil
	}
	books := make([]string, len(names))
	for i := range books {
		books[i] = book
	}
	_, err := tx.Exec(ctx, `INSERT INTO ledger_accounts (book, name) SELECT * FROM unnest($1::text[], $2::text[])
		ON CONFLICT (book, name) DO NOTHING`, books, names)
	return err
}

// AddBookAccounts implements ledger.Store.
func (s *Store) AddBookAccounts(ctx context.Context, book string, names []string) (ledger.Book, error) {
	for i, n := range names {
		if err := ledger.ValidateName(n, fmt.Sprintf("accounts[%d]", i)); err != nil {
			return ledger.Book{}, err
		}
	}
	var out ledger.Book
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		bs, err := queryBooks(ctx, tx, `WHERE b.id = $1`, book)
		if err != nil {
			return err
		}
		if len(bs) == 0 {
			return ledger.NotFound(ledger.ReasonUnknownBook, "book_id", "book %q does not exist", book)
		}
		if err := insertAccounts(ctx, tx, book, names); err != nil {
			return err
		}
		bs, err = queryBooks(ctx, tx, `WHERE b.id = $1`, book)
		if err != nil {
			return err
		}
		out = bs[0]
		return nil
	})
	return out, err
}

// EnsureWorldAccounts implements ledger.Store.
func (s *Store) EnsureWorldAccounts(ctx context.Context, names []string) error {
	for i, n := range names {
		if err := ledger.ValidateName(n, fmt.Sprintf("names[%d]", i)); err != nil {
			return err
		}
	}
	return s.inTx(ctx, func(tx pgx.Tx) error { return insertAccounts(ctx, tx, "", names) })
}

// RegisterItems implements ledger.Store.
func (s *Store) RegisterItems(ctx context.Context, items []ledger.Item) ([]ledger.Item, error) {
	if len(items) == 0 {
		return nil, nil
	}
	seen := map[ledger.ItemRef]int{}
	for i, it := range items {
		f := fmt.Sprintf("items[%d]", i)
		if err := ledger.ValidateItem(it, f); err != nil {
			return nil, err
		}
		if j, dup := seen[it.Ref()]; dup {
			return nil, ledger.BadArgument(f+".code", "item %s is also items[%d]", it.Ref(), j)
		}
		seen[it.Ref()] = i
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var books []string
		for _, it := range items {
			books = append(books, it.Book)
		}
		slices.Sort(books)
		books = slices.Compact(books)
		var found []string
		rows, err := tx.Query(ctx, `SELECT id FROM ledger_books WHERE id = ANY($1)`, books)
		if err != nil {
			return err
		}
		if found, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
			return err
		}
		for _, b := range books {
			if !slices.Contains(found, b) {
				return ledger.NotFound(ledger.ReasonUnknownBook, "items.book_id", "book %q does not exist", b)
			}
		}
		var ib, ic, iu, in, ia []string
		var is []int32
		for _, it := range items {
			ib, ic, iu, in, ia = append(ib, it.Book), append(ic, it.Code), append(iu, it.Unit), append(in, it.Name), append(ia, encodeMap(it.Attributes))
			is = append(is, it.Scale)
		}
		existing, err := itemsByKey(ctx, tx, ib, ic)
		if err != nil {
			return err
		}
		for _, e := range existing {
			i := seen[e.Ref()]
			it := items[i]
			if e.Unit != it.Unit || e.Scale != it.Scale {
				return ledger.Conflict(ledger.ReasonItemConflict, fmt.Sprintf("items[%d]", i),
					"item %s is already registered in unit %q with %d decimal places", e.Ref(), e.Unit, e.Scale)
			}
		}
		_, err = tx.Exec(ctx, `INSERT INTO ledger_items (book, code, unit, scale, name, attributes)
			SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int4[], $5::text[], $6::text[])
			ON CONFLICT (book, code) DO NOTHING`, ib, ic, iu, is, in, ia)
		return err
	})
	if err != nil {
		return nil, err
	}
	return items, nil
}
