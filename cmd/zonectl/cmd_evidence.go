package main

import (
	"encoding/hex"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/zoneledger/zoneledger/proto/zoneledger/evidence"
)

// verifyCmd is 'zonectl verify': an export checked offline against a kept
// digest. It dials nothing.
func (a *app) verifyCmd() *cobra.Command {
	var file, digest string
	c := &cobra.Command{
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
		Args:    exactArgs(0, "no arguments"),
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
	}
	bind(c, flagSpec{&file, "export", "the export file (required)"},
		flagSpec{&digest, "digest", "the evidence digest customs kept, hex (required)"})
	return c
}

func orStart(from string) string {
	if from == "" {
		return "(first)"
	}
	return from
}
