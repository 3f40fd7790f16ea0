package evidence

import (
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// tableClass says what a customs table is to a book's sealed evidence.
type tableClass string

// The classes of customs tables.
const (
	// sealed: its rows are records of a book's evidence (why names the
	// kind and the centre's read).
	sealed tableClass = "evidence"
	// derived: computed from records the evidence holds (why says from
	// what); sealing it would seal the same facts twice.
	derived tableClass = "derived"
	// config: configuration or access (who may call, channels), not a
	// customs record of a book.
	config tableClass = "config"
	// internal: machinery (numbering, intents in flight, change counters,
	// the seals themselves).
	internal tableClass = "internal"
	// gap: a customs record that no book's evidence holds today: known,
	// reported, and to be sealed (why says what is missing).
	gap tableClass = "gap"
)

// customsTables classifies every table the customs packages create. A
// table added to a migration fails TestEveryCustomsTableIsClassified until
// it is classified here, with the reason.
var customsTables = map[string]struct {
	class tableClass
	why   string
}{
	// customs/zone
	"zone_books":          {sealed, `kind "book", zone.Service.BookDocumentsChanged: the book's registration, status, 一纳 status and write-off date`},
	"zone_book_lines":     {sealed, `kind "book-line", zone.Service.BookDocumentsChanged: the book's lines (备案序号) as registered; never changed in place`},
	"zone_part_numbers":   {sealed, `kind "part-number", zone.Service.BookDocumentsChanged: each 料号 and the line it maps onto`},
	"zone_documents":      {sealed, `kinds "list", "pass", "form", "slip", "consumption", "certificate", "display", "outzone", zone.Service.BookDocumentsChanged`},
	"zone_taxable_events": {sealed, `kind "taxable-event", zone.Service.BookDocumentsChanged`},
	"zone_enterprises":    {sealed, `kind "enterprise", zone.Service.BookDocumentsChanged: the book's enterprise (credit rating, suspension), with the book's registration and after each change`},
	"zone_lot_marks": {derived, "lots whose goods were consumed or processed, written from the consumption reports and production reports " +
		"(sealed as \"consumption\" and \"production-report\") and the lot legs of their journals (sealed as \"journal\")"},
	"zone_counters":          {internal, "the last number given per document kind, office, year and direction"},
	"zone_intents":           {internal, "changes whose ledger journal is in flight, deleted when finished; the documents and journals they finish are sealed"},
	"zone_doc_seqs":          {internal, "each book's change counter (zone.TakeChange), by which a seal reads what changed since the previous one"},
	"zone_taxable_event_ids": {internal, "sequence of taxable event IDs"},
	"zone_document_numbers":  {internal, "sequence of the zone's document numbers"},
	"proc_versions":          {sealed, `kind "consumption-version", processing.Service.BookDocumentsChanged`},
	"proc_destructions":      {sealed, `kind "destruction", processing.Service.BookDocumentsChanged`},
	"proc_reports":           {sealed, `kind "production-report", processing.Service.BookDocumentsChanged`},
	"proc_rnd_projects":      {sealed, `kind "rnd-project", processing.Service.BookDocumentsChanged`},
	"proc_rnd_uses":          {sealed, `kind "rnd-use", processing.Service.BookDocumentsChanged`},
	"proc_entrustments":      {sealed, `kind "entrustment", processing.Service.BookDocumentsChanged`},
	"proc_entrusted_moves":   {sealed, `kind "entrusted-move", processing.Service.BookDocumentsChanged`},
	"proc_totals":            {derived, "cumulative quantities made and consumed per consumption version, summed from the production reports (sealed, with their journals)"},
	"proc_counters":          {internal, "the last production report number per book and year"},
	"rep_orders":             {sealed, `kind "repair-order", repair.Service.BookDocumentsChanged`},
	"rep_parts":              {sealed, `kind "repair-parts", repair.Service.BookDocumentsChanged`},
	"rep_counters":           {internal, "the last repair document number per kind, book and year"},
	"rep_rectifications": {derived, "each enterprise's rectification (整改) in force, which the repair centre checks before an order: " +
		"every set and lift is written in the same transaction to rep_rectification_records, which the seals read"},
	"rep_rectification_records": {sealed, `kind "rectification", repair.Service.BookDocumentsChanged: each rectification set on or lifted from the book's enterprise`},
	"writeoff_cycles":           {sealed, `kind "write-off-cycle", writeoff.Cycles.BookDocumentsChanged`},
	"writeoff_stocktakes":       {sealed, `kind "stocktake", writeoff.Cycles.BookDocumentsChanged`},
	"ecom_lists":                {sealed, `kind "ecommerce-list", ecommerce.Service.BookListsChanged (the list in a fixed shape, evfile.EcommerceList)`},
	"ecom_tax_payments":         {sealed, `inside each "ecommerce-list" record it paid (ecommerce.Service.BookListsChanged reads it); recording a payment changes its lists`},
	"ecom_list_seqs":            {internal, "each book's list change counter, by which a seal reads the lists changed since the previous one"},
	"ecom_buyer_totals":         {derived, "each buyer's yearly cross-border totals, summed from the released and returned lists (sealed as \"ecommerce-list\")"},
	"ecom_list_invt_nos":        {derived, "index of customs' list numbers (invtNo) to lists, from the applied CEB622 receipts; it makes one number name one list"},
	"ecom_channels":             {config, "which platform and guarantor an e-commerce enterprise sells through from which book: the channel's set-up, checked at each release"},
	"ecom_documents":            {internal, "dropped by ecommerce migration 0006 (rows moved to ecom_orders)"},
	"ecom_orders": {gap, "the orders, payment slips and waybills (三单) and whether they matched: the list record names its order, " +
		"but the 三单 and orders refused before a list are in no seal (customs/evidence/README.md: they belong to the enterprise and platform, not the book)"},
	"ecom_list_receipts": {gap, "customs' CEB622 receipts as imported (status code, return time, info, whether applied): " +
		"the latest receipt of a list (status, code, time, note, customs' numbers) is in the list record (its customs field), " +
		"earlier receipts of the same list and receipts never applied are in no seal"},
	"access_principals":      {config, "the identities that call the API and their roles"},
	"access_principal_links": {config, "the enterprises a platform principal may act for"},
	"access_tokens":          {config, "bearer tokens (their SHA-256 only)"},
	"evid_periods":           {internal, "the seals themselves: each sealed period's digests, counts and the marks it read through"},
	"evid_records":           {internal, "the records of each seal as sealed, which an export reads back"},
}

var (
	createTable = regexp.MustCompile(`(?i)CREATE\s+(?:TABLE|SEQUENCE)\s+(?:IF\s+NOT\s+EXISTS\s+)?([a-z_][a-z0-9_]*)`)
	// A centre's read of a book's changed records: FROM (or JOIN) table
	// WHERE (or ON) … change_seq > ….
	sealRead = regexp.MustCompile(`(?is)(?:FROM|JOIN)\s+([a-z_][a-z0-9_]*)(?:\s+AS\s+[a-z_]+)?\s+(?:WHERE|ON)\s+[^` + "`" + `]*?change_seq\s*>`)
)

// customsSchema returns every table (and sequence) the customs packages
// create, in migrations (customs/*/migrations, at any depth) and in Go
// outside tests, with the file that creates it.
func customsSchema(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir("..", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		isMigration := strings.HasSuffix(path, ".sql") && strings.Contains(filepath.ToSlash(path), "/migrations/")
		isGo := strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go")
		if !isMigration && !isGo {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range createTable.FindAllStringSubmatch(string(src), -1) {
			out[strings.ToLower(m[1])] = path
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestEveryCustomsTableIsClassified: every table the customs packages
// create is in customsTables with a reason, so that a table holding a
// book's customs records cannot be added without saying whether a seal
// records it; every table classified as sealed is read by a centre's read
// of a book's changed records; no classification names a table that is
// not created.
func TestEveryCustomsTableIsClassified(t *testing.T) {
	schema := customsSchema(t)
	if len(schema) < 30 || schema["zone_documents"] == "" || schema["writeoff_stocktakes"] == "" {
		t.Fatalf("found %d customs tables (%v); the scan is broken", len(schema), slices.Sorted(maps.Keys(schema)))
	}
	for table, file := range schema {
		c, ok := customsTables[table]
		if !ok {
			t.Errorf("%s creates table %s, which customsTables does not classify: say whether a book's evidence seals it (evidence), "+
				"it is derived from sealed records, configuration, internal machinery, or a known gap — and why", file, table)
			continue
		}
		if strings.TrimSpace(c.why) == "" {
			t.Errorf("table %s is classified %s without a reason", table, c.class)
		}
	}
	for table := range customsTables {
		if schema[table] == "" {
			t.Errorf("customsTables classifies %s, which no customs migration creates; remove it", table)
		}
	}

	// The sealed tables are read by a centre's seal read.
	read := map[string]bool{}
	for _, f := range []string{"../zone/stored.go", "../processing/stored.go", "../repair/stored.go", "../writeoff/stored.go", "../ecommerce/booklists.go"} {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range sealRead.FindAllStringSubmatch(string(src), -1) {
			read[m[1]] = true
		}
		if strings.Contains(string(src), "FROM ecom_tax_payments") {
			read["ecom_tax_payments"] = true
		}
	}
	for table, c := range customsTables {
		if c.class == sealed && !read[table] {
			t.Errorf("table %s is classified as sealed (%s), but no centre's read of a book's changed records reads it", table, c.why)
		}
		if c.class != sealed && read[table] {
			t.Errorf("table %s is read by a seal, but classified %s", table, c.class)
		}
	}
	var gaps []string
	for table, c := range customsTables {
		if c.class == gap {
			gaps = append(gaps, table)
		}
	}
	slices.Sort(gaps)
	t.Logf("customs records no seal holds yet: %v", gaps)
}
