package demo

import (
	"strings"
	"testing"
)

// checkEvidence: the evidence scene printed the digest the server sealed,
// the export reproduced it from the file alone, it holds the book's
// journals, lists, passes and taxable events, and the changed copy failed
// at the line that was changed.
func checkEvidence(t *testing.T, res *Result, out string) {
	t.Helper()
	er := res.Evidence
	if er == nil || er.Evidence == nil {
		t.Fatal("no evidence scene")
	}
	e := er.Evidence
	if !strings.Contains(out, "digest          "+e.GetDigest()+" (customs keeps this)") {
		t.Errorf("the report does not print the sealed digest %s", e.GetDigest())
	}
	if !er.Report.Match || er.Report.Records != 1+e.GetJournals()+e.GetDocuments() || e.GetJournals() != er.Period.GetJournalCount() {
		t.Errorf("export: %+v; sealed %v; ledger period %v", er.Report, e, er.Period)
	}
	if er.Kinds["list"] == 0 || er.Kinds["pass"] == 0 || er.Kinds["taxable-event"] == 0 {
		t.Errorf("the evidence holds %v; want lists, passes and taxable events", er.Kinds)
	}
	if er.Tampered.Match || len(er.Tampered.Problems) == 0 || !strings.HasPrefix(er.Tampered.Problems[0].String(), er.Changed+" (journal ") {
		t.Errorf("changed copy (%s): %+v", er.Changed, er.Tampered.Problems)
	}
}
