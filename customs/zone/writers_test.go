package zone_test

import (
	"go/ast"
	"go/parser"
	"go/token"
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

// TestOnlySaveEnterpriseUpdatesAnEnterprise: an enterprise's record is in
// every one of its books' evidence, so a change to it must give each book a
// change number. saveEnterprise does both; a statement elsewhere in
// customs/ that updates zone_enterprises would change the record without
// the books' next seals seeing it. (Registering inserts a record no book has
// yet.)
func TestOnlySaveEnterpriseUpdatesAnEnterprise(t *testing.T) {
	update := regexp.MustCompile(`(?i)UPDATE\s+zone_enterprises\b`)
	var found int
	err := filepath.WalkDir("..", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return err
		}
		for _, decl := range f.Decls {
			ast.Inspect(decl, func(n ast.Node) bool {
				if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING && update.MatchString(lit.Value) {
					found++
					if fd, ok := decl.(*ast.FuncDecl); !ok || fd.Name.Name != "saveEnterprise" || fd.Recv != nil {
						t.Errorf("%s updates zone_enterprises outside saveEnterprise: call saveEnterprise, which gives the enterprise's books their change numbers", path)
					}
				}
				return true
			})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found == 0 {
		t.Fatal("found no statement updating zone_enterprises; the scan is broken")
	}
}
