package ecommerce

import (
	"context"
	"testing"
	"time"

	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtest"
)

// TestBookListsChangedReadsOnlyTheBooksChangedLists: the evidence seal's
// read of a book's lists (bookListsChangedSQL) reads the lists table
// through its book indexes, never by a scan: with 3,000 lists of another
// book and 5 of this one, it reads the 5 (no mark), then none once
// nothing changed after the mark.
func TestBookListsChangedReadsOnlyTheBooksChangedLists(t *testing.T) {
	if pgtest.IsCockroachDB() {
		t.Skip("reads PostgreSQL's EXPLAIN output")
	}
	ctx := context.Background()
	pool := pgtest.Pool(t)
	if _, err := Migrations().Up(ctx, pool); err != nil {
		t.Fatal(err)
	}
	_, err := pool.Exec(ctx, `INSERT INTO ecom_lists (no, order_no, enterprise, guarantor, buyer, status, released_on, body, book, change_seq)
		SELECT 'L' || g, 'O' || g, 'E', 'G', 'B', 'RELEASED', DATE '2026-11-11', '{}', CASE WHEN g <= 5 THEN 'MINE' ELSE 'OTHER' END, g
		FROM generate_series(1, 3005) AS g`)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `ANALYZE ecom_lists`); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		since int64
		want  int64
	}{{0, 5}, {5, 0}} {
		lapse := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		read, scans, raw := pgtest.PlanRead(t, pool, []string{"ecom_lists"}, bookListsChangedSQL, "MINE", c.since, lapse, lapse.AddDate(0, 0, 10))
		if len(scans) > 0 {
			t.Errorf("since %d: the read scans ecom_lists: %s", c.since, raw)
		}
		if read > c.want {
			t.Errorf("since %d: the read of book MINE's %d changed lists touched %d rows: %s", c.since, c.want, read, raw)
		}
	}
}
