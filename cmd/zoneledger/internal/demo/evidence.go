package demo

import (
	"cmp"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
	"github.com/zoneledger/zoneledger/proto/zoneledger/evidence"
	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

// The evidence scene (section 20): customs closes the selective-duty
// book's period through the server's today, seals its evidence — the
// period's journals and the book's lists, passes and taxable events, in
// one digest customs keeps — exports it, and checks the export the way
// 'zonectl verify' does, with the file alone. A copy with one amount
// changed fails at its line. The demo prints what the server sealed and
// what the check found; it hashes nothing of its own beyond the check.

// EvidenceResult is the evidence scene as the server answered it.
type EvidenceResult struct {
	Book string
	// Period is the ledger's period; Evidence the evidence sealed on it.
	Period   *ledgerv1.Period
	Evidence *customsv1.Evidence
	// Kinds counts the export's records by kind.
	Kinds map[string]int
	// Report is the check of the export against the sealed digest;
	// Tampered the check of a copy with one amount changed.
	Report, Tampered evidence.Report
	// Changed names the record changed in the copy.
	Changed string
}

func runEvidence(ctx context.Context, c *client, book, through string) (*EvidenceResult, error) {
	const cu = "customs-4601"
	p := &play{ctx: ctx, c: c}
	res := &EvidenceResult{Book: book, Kinds: map[string]int{}}
	res.Period = do(p, cu, c.ledger.ClosePeriod, &ledgerv1.ClosePeriodRequest{BookId: book, Through: through, IdempotencyKey: "close-" + book + "-" + through}).GetPeriod()
	res.Evidence = do(p, cu, c.writeOff.SealEvidence, &customsv1.SealEvidenceRequest{BookNo: book, Through: through}).GetEvidence()
	file, kept := verifyEvidence(p, cu, book, through, res.Evidence.GetDigest(), &res.Report)
	if p.err != nil {
		return res, p.err
	}
	// One amount changed in a copy: the first posting quantity of the
	// first journal.
	lines := strings.Split(strings.TrimSuffix(file, "\n"), "\n")
	for i, l := range lines {
		var line evidence.Line
		if err := json.Unmarshal([]byte(l), &line); err != nil {
			return res, fmt.Errorf("line %d of the export: %w", i+1, err)
		}
		res.Kinds[line.Kind]++
		if res.Changed == "" && line.Kind == evidence.KindJournal {
			if j := strings.Index(l, `"quantity":"`); j >= 0 {
				lines[i] = l[:j+12] + "9" + l[j+12:]
				res.Changed = fmt.Sprintf("line %d", i+1)
			}
		}
	}
	var err error
	res.Tampered, err = evidence.Verify(strings.NewReader(strings.Join(lines, "\n")+"\n"), kept)
	return res, err
}

// verifyEvidence exports a book's evidence sealed through a day as principal
// who (ExportEvidence) and checks the file alone against the digest customs
// keeps (hex), the way 'zonectl verify' does, into *report. It returns the
// file and the digest's bytes.
func verifyEvidence(p *play, who, book, through, digest string, report *evidence.Report) (string, []byte) {
	var file strings.Builder
	for _, m := range receive(p, who, p.c.writeOff.ExportEvidence, &customsv1.ExportEvidenceRequest{BookNo: book, Through: through}) {
		if m.GetLine() != "" {
			file.WriteString(m.GetLine() + "\n")
		}
	}
	kept, err := hex.DecodeString(digest)
	if err != nil {
		p.fail("the sealed digest %q of %s: %w", digest, book, err)
	}
	if p.err == nil {
		if *report, err = evidence.Verify(strings.NewReader(file.String()), kept); err != nil {
			p.fail("checking the evidence of %s: %w", book, err)
		}
	}
	return file.String(), kept
}

func printEvidence(w io.Writer, er *EvidenceResult) {
	e, p := er.Evidence, er.Period
	fmt.Fprintf(w, "20. Evidence customs can check outside the database: the period of %s sealed with its documents (SealEvidence, ExportEvidence)\n\n", er.Book)
	fmt.Fprintf(w, "  ledger period   %s .. %s, %d journals, ledger digest %s\n", cmp.Or(p.GetFrom(), "(start of the book)"), p.GetThrough(), p.GetJournalCount(), hex.EncodeToString(p.GetDigest()))
	fmt.Fprintf(w, "  evidence        %d journals and %d documents (%s), sealed by %s\n", e.GetJournals(), e.GetDocuments(), kindsOf(er.Kinds), e.GetSealedBy())
	fmt.Fprintf(w, "  digest          %s (customs keeps this)\n", e.GetDigest())
	if er.Report.Match {
		fmt.Fprintf(w, "  export          %d lines; recomputed from the file alone: %x, matches\n", er.Report.Records, er.Report.Digest)
	} else {
		fmt.Fprintf(w, "  export          %d lines; DOES NOT reproduce the digest: %v\n", er.Report.Records, er.Report.Problems)
	}
	if len(er.Tampered.Problems) > 0 {
		fmt.Fprintf(w, "  one amount changed on %s of a copy: %s\n\n", er.Changed, er.Tampered.Problems[0])
	} else {
		fmt.Fprintf(w, "  one amount changed on %s of a copy: NOT DETECTED\n\n", er.Changed)
	}
}

// kindsOf lists the document kinds of an export with their counts.
func kindsOf(kinds map[string]int) string {
	var parts []string
	first := []string{"list", "pass", "taxable-event", "consumption", "form", "slip", "certificate"}
	var rest []string
	for k := range kinds {
		if k != evidence.KindPeriod && k != evidence.KindJournal && !slices.Contains(first, k) {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	for _, k := range append(first, rest...) {
		if n := kinds[k]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, k))
		}
	}
	return strings.Join(parts, ", ")
}
