package evidence

import (
	"testing"
	"time"
)

// BenchmarkSealWithNothingNew seals, one period after another, the
// evidence of a warehouse book that has released 20,000 e-commerce lists,
// none of which changed since the previous seal: what a write-off's seal
// costs on a book with years of 1210 orders.
//
//	go test -run '^$' -bench BenchmarkSealWithNothingNew -benchtime 5x ./customs/evidence/
func BenchmarkSealWithNothingNew(b *testing.B) {
	const lists = 20000
	w := newEcomWorld(b)
	tmpl := w.sell("EC-TMPL", "0011")
	w.must(errOf(w.pool.Exec(w.ctx, `INSERT INTO ecom_lists (no, order_no, enterprise, guarantor, buyer, status, released_on, body, book, change_seq)
		SELECT 'L' || g, 'O' || g, enterprise, guarantor, buyer, status, released_on, replace(replace(body, no, 'L' || g), order_no, 'O' || g), book, change_seq
		FROM ecom_lists, generate_series(1, $2::int) AS g WHERE no = $1`, tmpl.No, lists)))
	day := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	w.close(day)
	start := time.Now()
	first, err := w.svc.Seal(w.ctx, w.customs, w.book, day)
	w.must(err)
	firstTook := time.Since(start)
	if first.Documents < lists {
		b.Fatalf("the first seal holds %d documents, want at least %d lists", first.Documents, lists)
	}
	b.ResetTimer()
	var docs int64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		day = day.AddDate(0, 0, 1)
		w.close(day)
		b.StartTimer()
		s, err := w.svc.Seal(w.ctx, w.customs, w.book, day)
		w.must(err)
		docs += s.Documents
	}
	b.Logf("first seal: %d documents in %s; each of the %d seals after it: %d documents", first.Documents, firstTook.Round(time.Millisecond), b.N, docs/int64(b.N))
}

// BenchmarkSealWithNothingNewZone seals, one period after another, the
// evidence of a book with 20,000 zone documents (verification lists),
// none of which changed since the previous seal: what a write-off's seal
// costs on a busy book.
//
//	go test -run '^$' -bench BenchmarkSealWithNothingNewZone -benchtime 5x ./customs/evidence/
func BenchmarkSealWithNothingNewZone(b *testing.B) {
	const docs = 20000
	w := newWorld(b)
	tmpl := w.receive("10")
	// Copies of the list's row under other numbers (and inner numbers).
	w.must(errOf(w.pool.Exec(w.ctx, `INSERT INTO zone_documents (kind, no, enterprise, inner_no, book, status, body, created_at, link)
		SELECT kind, no || '-' || g, enterprise, inner_no || '-' || g, book, status, replace(body, no, no || '-' || g), created_at, link
		FROM zone_documents, generate_series(1, $2::int) AS g WHERE kind = 'list' AND no = $1`, tmpl, docs)))
	// Stored rows carry a change number, as the migration gives the rows
	// of before it (on a schema without change numbers there is none).
	var changeNumbers bool
	w.must(w.pool.QueryRow(w.ctx, `SELECT count(*) > 0 FROM information_schema.columns WHERE table_name = 'zone_documents' AND column_name = 'change_seq'`).Scan(&changeNumbers))
	if changeNumbers {
		w.must(errOf(w.pool.Exec(w.ctx, `UPDATE zone_documents SET change_seq = 1 WHERE change_seq = 0`)))
	}
	day := w.today.AddDate(0, 0, -b.N-2)
	w.close(day)
	start := time.Now()
	first, err := w.svc.Seal(w.ctx, w.customs, w.book, day)
	w.must(err)
	firstTook := time.Since(start)
	if first.Documents < docs {
		b.Fatalf("the first seal holds %d documents, want at least %d lists", first.Documents, docs)
	}
	b.ResetTimer()
	var n int64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		day = day.AddDate(0, 0, 1)
		w.close(day)
		b.StartTimer()
		s, err := w.svc.Seal(w.ctx, w.customs, w.book, day)
		w.must(err)
		n += s.Documents
	}
	b.Logf("first seal: %d documents in %s; each of the %d seals after it: %d documents", first.Documents, firstTook.Round(time.Millisecond), b.N, n/int64(b.N))
}
