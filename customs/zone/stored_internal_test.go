package zone

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtest"
)

// planNode is a node of EXPLAIN (ANALYZE, FORMAT JSON)'s plan.
type planNode struct {
	NodeType   string     `json:"Node Type"`
	Relation   string     `json:"Relation Name"`
	IndexName  string     `json:"Index Name"`
	ActualRows int64      `json:"Actual Rows"`
	Loops      int64      `json:"Actual Loops"`
	RowsFilter int64      `json:"Rows Removed by Filter"`
	Plans      []planNode `json:"Plans"`
}

// TestBookDocumentsChangedReadsOnlyTheBooksChangedDocuments: the evidence
// seal's read of a book's zone documents and taxable events
// (bookDocumentsChangedSQL) reads both tables through their (book, change
// number) indexes, never by a scan: with 3,000 documents and 3,000 events
// of another book and 5 of each of this one, it reads the 10 (no mark),
// then none once nothing changed after the mark.
func TestBookDocumentsChangedReadsOnlyTheBooksChangedDocuments(t *testing.T) {
	if pgtest.IsCockroachDB() {
		t.Skip("reads PostgreSQL's EXPLAIN output")
	}
	ctx := context.Background()
	pool := pgtest.Pool(t)
	if _, err := Migrations().Up(ctx, pool); err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{
		`INSERT INTO zone_documents (kind, no, enterprise, inner_no, book, status, body, created_at, change_seq)
		SELECT 'list', 'L' || g, 'E', 'I' || g, CASE WHEN g <= 5 THEN 'MINE' ELSE 'OTHER' END, 'DRAFT', '{}', now(), g
		FROM generate_series(1, 3005) AS g`,
		`INSERT INTO zone_taxable_events (id, book, enterprise, source, event_date, body, change_seq)
		SELECT g, CASE WHEN g <= 5 THEN 'MINE' ELSE 'OTHER' END, 'E', 'S' || g, DATE '2026-11-11', '{}', g
		FROM generate_series(1, 3005) AS g`,
		`ANALYZE zone_documents`,
		`ANALYZE zone_taxable_events`,
	} {
		if _, err := pool.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		since int64
		want  int64
	}{{0, 10}, {5, 0}} {
		var out []struct{ Plan planNode }
		var raw string
		if err := pool.QueryRow(ctx, `EXPLAIN (ANALYZE, FORMAT JSON) `+bookDocumentsChangedSQL, "MINE", c.since, 3005).Scan(&raw); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(raw), &out); err != nil {
			t.Fatal(err)
		}
		var read int64
		var walk func(n planNode)
		walk = func(n planNode) {
			if n.Relation == "zone_documents" || n.Relation == "zone_taxable_events" || (n.IndexName != "" && n.NodeType == "Bitmap Index Scan") {
				if n.NodeType == "Seq Scan" {
					t.Errorf("since %d: the read scans %s: %s", c.since, n.Relation, raw)
				}
				read += (n.ActualRows + n.RowsFilter) * max(n.Loops, 1)
			}
			for _, k := range n.Plans {
				walk(k)
			}
		}
		walk(out[0].Plan)
		if read > c.want {
			t.Errorf("since %d: the read of book MINE's %d changed documents touched %d rows: %s", c.since, c.want, read, raw)
		}
	}
}
