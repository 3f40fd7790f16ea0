package main

import (
	"bufio"
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
	"github.com/zoneledger/zoneledger/proto/zoneledger/evidence"
)

// verifyCmd is 'zonectl verify': an export checked offline against a kept
// digest. It dials nothing.
func (a *app) verifyCmd() *cobra.Command {
	var file, digest string
	return leaf(&cobra.Command{
		Use:   "verify",
		Short: "Check a period's evidence export against a kept digest, offline (exit 1 if not)",
		Long: `Recompute a sealed period's evidence digest from an export file alone (made
by 'zonectl evidence export'; no server, no database, no token) and compare it
with the digest customs kept when the period was sealed.

Every record of the file (the period header, each journal, each customs
document) is rehashed in its canonical encoding and checked against the chain
value written beside it, so a record that was changed names its own line; a
record removed, added or moved names the line where the sequence breaks;
records cut from the end are caught by the header's counts. The encoding and
the chain are described in proto/zoneledger/evidence (package doc).

Exit codes: 0 the export reproduces the digest; 1 it does not (each broken
record is printed: line number, kind and key); 2 usage error or unreadable
file.`,
		Example: "  zonectl verify --export H3105-2026-03.jsonl --digest 3f9a...c1",
		RunE: func(cmd *cobra.Command, _ []string) error {
			kept, err := hex.DecodeString(strings.TrimSpace(digest))
			if err != nil || len(kept) != 32 {
				return usagef("--digest %q: give the 64 hex digits of the evidence digest customs kept", digest)
			}
			f, err := os.Open(file)
			if err != nil {
				return usagef("--export: %v", err)
			}
			defer f.Close()
			rep, err := evidence.Verify(f, kept)
			if err != nil {
				return usagef("--export %s: %v", file, err)
			}
			a.ran = true
			h := rep.Header
			if rep.Match {
				fmt.Fprintf(a.stdout, "ok: %s reproduces digest %x\n  book %s, period %s..%s, %d journal(s), %d document(s)\n",
					file, rep.Digest, h.Book, orStart(h.From), h.Through, h.Journals, h.Documents)
				return nil
			}
			fmt.Fprintf(a.stdout, "NOT OK: %s does not reproduce digest %x\n", file, kept)
			for _, p := range rep.Problems {
				fmt.Fprintf(a.stdout, "  - %s\n", p)
			}
			a.note("error: the export does not match the kept digest: %d problem(s)", len(rep.Problems))
			return errReported
		},
	}, flagSpec{&file, "export", "the export file (required)"},
		flagSpec{&digest, "digest", "the evidence digest customs kept, hex (required)"})
}

func orStart(from string) string {
	if from == "" {
		return "(first)"
	}
	return from
}

// evidenceCmd is 'zonectl evidence': seal, list and export the evidence
// of sealed periods (WriteOffService).
func (a *app) evidenceCmd() *cobra.Command {
	return group("evidence", "Seal, list and export the evidence of a book's sealed periods (journals and customs documents)",
		a.evidenceSealCmd(), a.evidenceListCmd(), a.evidenceExportCmd())
}

var evidenceView = cols[*customsv1.Evidence]("book_no", "from", "through", "digest", "previous_digest", "ledger_digest", "journals", "documents",
	"sealed_at", "sealed_by")

func (a *app) evidenceSealCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "seal", method: customsv1.WriteOffService_SealEvidence_FullMethodName,
		short: "Seal the evidence of a closed period: its journals and the book's documents, chained",
		more: `Keep the printed digest outside the system: 'zonectl verify' checks an export
against it with no server.`,
		example: "  zonectl evidence seal --book H31050000001 --through 2026-03-31"}, evidenceView)
}

func (a *app) evidenceListCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "list", method: customsv1.WriteOffService_ListEvidence_FullMethodName,
		short:   "List a book's sealed evidence with its digests, oldest first",
		example: "  zonectl evidence list --book H31050000001"}, evidenceView)
}

func (a *app) evidenceExportCmd() *cobra.Command {
	req := &customsv1.ExportEvidenceRequest{}
	var out string
	return leaf(&cobra.Command{
		Use:   "export",
		Short: "Write a sealed period's journals and documents to a file (JSON lines) for offline checks",
		Long: `Write the sealed evidence of a book's period to a file, one JSON record a
line, as it was sealed: the period header, the journals, the customs
documents, each with its chain value. The encoding is described in
proto/zoneledger/evidence. Check the file anywhere, with no server, with
'zonectl verify --export FILE --digest HEX'.

The file is written to FILE.partial and renamed to FILE once complete, so an
interrupted export never leaves a short file under FILE. The period's digest
is printed on stderr.`,
		Example: "  zonectl evidence export --book H31050000001 --through 2026-03-31 --out H31050000001-2026-03.jsonl",
		RunE: a.act(func(cmd *cobra.Command, _ []string) error {
			c, err := a.connect()
			if err != nil {
				return err
			}
			ctx, cancel := context.WithCancel(cmd.Context())
			defer cancel()
			stream, err := c.writeoff.ExportEvidence(ctx, req)
			if err != nil {
				return err
			}
			tmp := out + ".partial"
			f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
			if err != nil {
				return usagef("--out: %v", err)
			}
			defer os.Remove(tmp) // a no-op once renamed
			w := bufio.NewWriter(f)
			var head *customsv1.Evidence
			lines := 0
			for {
				m, err := stream.Recv()
				if err == io.EOF {
					break
				}
				if err != nil {
					f.Close()
					return err
				}
				if m.GetEvidence() != nil {
					head = m.GetEvidence()
					continue
				}
				lines++
				if _, err := w.WriteString(m.GetLine() + "\n"); err != nil {
					f.Close()
					return fmt.Errorf("writing %s: %w", tmp, err)
				}
			}
			if err := w.Flush(); err != nil {
				f.Close()
				return fmt.Errorf("writing %s: %w", tmp, err)
			}
			if err := f.Sync(); err != nil {
				f.Close()
				return fmt.Errorf("writing %s: %w", tmp, err)
			}
			if err := f.Close(); err != nil {
				return fmt.Errorf("writing %s: %w", tmp, err)
			}
			if head == nil || int64(lines) != 1+head.GetJournals()+head.GetDocuments() {
				return fmt.Errorf("the server ended the export after %d line(s); run the export again", lines)
			}
			if err := os.Rename(tmp, out); err != nil {
				return fmt.Errorf("writing %s: %w", out, err)
			}
			a.note("wrote %s: book %s through %s, %d journal(s), %d document(s), digest %s", out, head.GetBookNo(), head.GetThrough(),
				head.GetJournals(), head.GetDocuments(), head.GetDigest())
			return nil
		}),
	}, flagSpec{&req.BookNo, "book", "book number (required)"},
		flagSpec{&req.Through, "through", "last day of the sealed period, YYYY-MM-DD (required)"},
		flagSpec{&out, "out", "file to write (required)"})
}
