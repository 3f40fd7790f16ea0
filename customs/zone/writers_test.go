package zone_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestEveryDocumentWriterTakesAChangeNumber: every statement in customs/
// that inserts or updates a row of zone_documents or zone_taxable_events
// sets its change_seq (from nextChange or docChange), or the book's next
// evidence seal would miss the change (BookDocumentsChanged reads the rows
// changed after the previous seal's change number). A new writer that
// forgets fails here.
func TestEveryDocumentWriterTakesAChangeNumber(t *testing.T) {
	write := regexp.MustCompile(`(?i)(INSERT\s+INTO|UPDATE)\s+(zone_books|zone_book_lines|zone_part_numbers|zone_documents|zone_taxable_events|proc_versions|proc_destructions|proc_reports|proc_rnd_projects|proc_rnd_uses|proc_entrustments|proc_entrusted_moves|rep_orders|rep_parts|rep_rectification_records|writeoff_stocktakes|writeoff_cycles)\b`)
	var writers int
	err := filepath.WalkDir("..", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, loc := range write.FindAllIndex(src, -1) {
			// The statement runs to the end of its Go string literal.
			end := strings.IndexByte(string(src[loc[1]:]), '`')
			if end < 0 {
				end = len(src) - loc[1]
			}
			stmt := string(src[loc[0] : loc[1]+end])
			writers++
			if !strings.Contains(stmt, "change_seq") {
				line := 1 + strings.Count(string(src[:loc[0]]), "\n")
				t.Errorf("%s:%d writes %s without its change number (change_seq from nextChange/docChange): %s", path, line, write.FindStringSubmatch(stmt)[2], stmt)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if writers < 4 {
		t.Fatalf("found %d writers of the zone's documents; the scan is broken", writers)
	}
}
