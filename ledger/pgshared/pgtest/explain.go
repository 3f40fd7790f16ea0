package pgtest

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
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

// PlanRead runs sql with args under EXPLAIN (ANALYZE, FORMAT JSON) on
// PostgreSQL and reports how it read tables: rows, the rows its nodes on
// those tables (and the bitmap index scans feeding them) touched — returned
// plus removed by a filter, times loops; seqScans, the tables of tables it
// read by a sequential scan; and plan, the whole plan for a failure
// message. A test that a read goes through an index checks both.
func PlanRead(t testing.TB, pool *pgxpool.Pool, tables []string, sql string, args ...any) (rows int64, seqScans []string, plan string) {
	t.Helper()
	if err := pool.QueryRow(context.Background(), `EXPLAIN (ANALYZE, FORMAT JSON) `+sql, args...).Scan(&plan); err != nil {
		t.Fatal(err)
	}
	var out []struct{ Plan planNode }
	if err := json.Unmarshal([]byte(plan), &out); err != nil || len(out) == 0 {
		t.Fatalf("reading the plan %s: %v", plan, err)
	}
	var walk func(n planNode)
	walk = func(n planNode) {
		if slices.Contains(tables, n.Relation) || (n.IndexName != "" && n.NodeType == "Bitmap Index Scan") {
			if n.NodeType == "Seq Scan" {
				seqScans = append(seqScans, n.Relation)
			}
			rows += (n.ActualRows + n.RowsFilter) * max(n.Loops, 1)
		}
		for _, k := range n.Plans {
			walk(k)
		}
	}
	walk(out[0].Plan)
	return rows, seqScans, plan
}
