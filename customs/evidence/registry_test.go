package evidence

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/zone"
)

// registryRecords is the book, book-line, part-number and enterprise
// records of a seal's documents.
func registryRecords(docs map[string]string) map[string]string {
	out := map[string]string{}
	for k, r := range docs {
		for _, kind := range []string{zone.KindBook, zone.KindBookLine, zone.KindPartNumber, zone.KindEnterprise} {
			if strings.HasPrefix(k, kind+":") {
				out[k] = r
			}
		}
	}
	return out
}

// TestSealRecordsTheBookItsLinesAndPartNumbers: the book's first seal
// holds the book, its registered line (备案) and its enterprise; a line
// registered, a part number mapped, the book suspended, made 一纳 and given
// a write-off date, the enterprise suspended after a seal are each in the
// next seal in their new state, without the records that did not change;
// a seal with nothing changed holds none.
// Every export verifies (sealZone).
func TestSealRecordsTheBookItsLinesAndPartNumbers(t *testing.T) {
	w := newWorld(t)
	base := w.today.AddDate(0, 0, -30)
	first := registryRecords(w.sealZone(base.AddDate(0, 0, 1)))
	if len(first) != 3 || statusOf(first["book:"+w.book]) != string(codes.BookExecuting) || !strings.Contains(first["book-line:1"], `"HSCode":"8411910000"`) ||
		!strings.Contains(first["enterprise:"+w.e1.Enterprise], `"Suspended":false`) {
		t.Fatalf("the book's first seal holds %v, want the book EXECUTING, its line 1 and its enterprise", first)
	}
	if got := w.sealZone(base.AddDate(0, 0, 2)); len(got) != 0 {
		t.Fatalf("a seal with nothing changed holds %v", slices.Sorted(maps.Keys(got)))
	}

	// 备案 of a second line and of part numbers.
	_, err := w.zone.AddBookLines(w.ctx, w.e1, w.book, []zone.BookLine{{Seq: 2, HSCode: "8411990000", Name: "turbine blade", DeclaredUnit: "007",
		Scale: 3, Legal: zone.LegalUnit{Unit: "007", Factor: d("1")}, Type: codes.GoodsMaterial}})
	w.must(err)
	w.must(w.zone.MapPartNumbers(w.ctx, w.e1, w.book, map[string]int{"PN-A": 1, "PN-B": 2}))
	got := w.sealZone(base.AddDate(0, 0, 3))
	if len(got) != 3 || !strings.Contains(got["book-line:2"], `"Name":"turbine blade"`) ||
		got["part-number:PN-A"] != `{"body":{"BookSeq":1,"Part":"PN-A"},"book":"`+w.book+`","enterprise":"`+w.e1.Enterprise+`","status":""}` ||
		!strings.Contains(got["part-number:PN-B"], `"BookSeq":2`) {
		t.Fatalf("the seal after a line and two part numbers were filed holds %v, want line 2 and the part numbers only", got)
	}

	// The book changed by customs and its owner.
	_, err = w.zone.SetGeneralTaxpayer(w.ctx, w.customs, w.book, true)
	w.must(err)
	_, err = w.zone.SetLastWriteOffDate(w.ctx, w.e1, w.book, base)
	w.must(err)
	got = w.sealZone(base.AddDate(0, 0, 4))
	if rec := got["book:"+w.book]; len(got) != 1 || !strings.Contains(rec, `"GeneralTaxpayer":true`) || !strings.Contains(rec, `"LastWriteOffDate":"`+base.Format("2006-01-02")+`"`) {
		t.Fatalf("the seal after the book was made 一纳 and given a write-off date holds %v, want the book in its new state only", got)
	}
	_, err = w.zone.SetBookStatus(w.ctx, w.customs, w.book, codes.BookSuspended)
	w.must(err)
	got = w.sealZone(base.AddDate(0, 0, 5))
	if len(got) != 1 || statusOf(got["book:"+w.book]) != string(codes.BookSuspended) {
		t.Fatalf("the seal after the book was suspended holds %v, want the book SUSPENDED only", got)
	}

	// The enterprise suspended by customs.
	_, err = w.zone.SetEnterpriseSuspended(w.ctx, w.customs, w.e1.Enterprise, true)
	w.must(err)
	got = w.sealZone(base.AddDate(0, 0, 6))
	if len(got) != 1 || !strings.Contains(got["enterprise:"+w.e1.Enterprise], `"Suspended":true`) {
		t.Fatalf("the seal after the enterprise was suspended holds %v, want the enterprise suspended only", got)
	}
	if got := w.sealZone(base.AddDate(0, 0, 7)); len(got) != 0 {
		t.Fatalf("a seal with nothing changed holds %v", slices.Sorted(maps.Keys(got)))
	}
}

// bookRecordsWithoutChangeNumbers takes the schema back to before the
// book's own tables (book, lines, part numbers) had change numbers: zone
// migrations 32 to 42 undone.
var bookRecordsWithoutChangeNumbers = []string{
	`ALTER TABLE zone_books DROP COLUMN change_seq`,
	`ALTER TABLE zone_book_lines DROP COLUMN change_seq`,
	`ALTER TABLE zone_part_numbers DROP COLUMN change_seq`,
	`ALTER TABLE zone_books DROP COLUMN enterprise_change_seq`,
	`DELETE FROM schema_migrations WHERE component = 'zone' AND version BETWEEN 32 AND 42`,
}

// TestBookRecordsStoredBeforeTheMigrationAreSealed: a book sealed after
// its documents got their change numbers, with its book row, lines and
// part numbers stored before theirs (never in any seal): the migration
// numbers them after that seal's mark, so the next seal holds each of them
// once, and the one after none.
func TestBookRecordsStoredBeforeTheMigrationAreSealed(t *testing.T) {
	w := newWorld(t)
	base := w.today.AddDate(0, 0, -30)
	w.must(w.zone.MapPartNumbers(w.ctx, w.e1, w.book, map[string]int{"PN-A": 1}))
	listNo := w.receive("10")
	// The schema before: no change numbers on the book's own tables, whose
	// rows the seal then did not read.
	for _, sql := range bookRecordsWithoutChangeNumbers {
		w.must(errOf(w.pool.Exec(w.ctx, sql)))
	}
	// The seal before the migration reads the documents only.
	for _, sql := range []string{
		`ALTER TABLE zone_books ADD COLUMN change_seq BIGINT NOT NULL DEFAULT 0`,
		`ALTER TABLE zone_book_lines ADD COLUMN change_seq BIGINT NOT NULL DEFAULT 0`,
		`ALTER TABLE zone_part_numbers ADD COLUMN change_seq BIGINT NOT NULL DEFAULT 0`,
		`ALTER TABLE zone_books ADD COLUMN enterprise_change_seq BIGINT NOT NULL DEFAULT 0`,
	} {
		w.must(errOf(w.pool.Exec(w.ctx, sql)))
	}
	sealed := w.sealZone(base.AddDate(0, 0, 1))
	if sealed["list:"+listNo] == "" || len(registryRecords(sealed)) != 0 {
		t.Fatalf("the seal before the migration holds %v", slices.Sorted(maps.Keys(sealed)))
	}
	for _, sql := range []string{
		`ALTER TABLE zone_books DROP COLUMN change_seq`,
		`ALTER TABLE zone_book_lines DROP COLUMN change_seq`,
		`ALTER TABLE zone_part_numbers DROP COLUMN change_seq`,
		`ALTER TABLE zone_books DROP COLUMN enterprise_change_seq`,
	} {
		w.must(errOf(w.pool.Exec(w.ctx, sql)))
	}
	w.must(errOf(zone.Migrations().Up(w.ctx, w.pool)))
	got := w.sealZone(base.AddDate(0, 0, 2))
	if want := []string{"book-line:1", "book:" + w.book, "enterprise:" + w.e1.Enterprise, "part-number:PN-A"}; !slices.Equal(slices.Sorted(maps.Keys(got)), want) {
		t.Fatalf("the first seal after the migration holds %v, want %v", slices.Sorted(maps.Keys(got)), want)
	}
	if got := w.sealZone(base.AddDate(0, 0, 3)); len(got) != 0 {
		t.Fatalf("the seal after it holds %v", slices.Sorted(maps.Keys(got)))
	}
}
