package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/zoneledger/zoneledger/cmd/zonectl/internal/input"
	"github.com/zoneledger/zoneledger/cmd/zonectl/internal/output"
	"github.com/zoneledger/zoneledger/cmd/zonectl/internal/post"
	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

func (a *app) journalsCmd() *cobra.Command {
	return group("journals", "Post, reverse, show and list journals",
		a.journalsPostCmd(), a.journalsReverseCmd(), a.journalsGetCmd(), a.journalsListCmd())
}

const journalsPostLong = `Post the journals of a file with PostJournals, in file order, up to 100 per
call (--chunk). A progress bar is shown on stderr when there are more than 100
journals. Each journal is accepted or refused on its own; at the end zonectl
prints a summary (accepted, replayed, refused by reason) and every refused
journal with where it is in the file, its reason and the field at fault. The
exit code is 1 if any journal was refused or the run stopped early.

RE-RUNNING THE SAME FILE IS SAFE. Every journal carries an idempotency key; the
server books each key at most once. After a failure, a timeout or an
interrupted run, send the same file again: journals already booked come back
as "replayed" and are not booked twice, the rest are booked now. Change a
journal's key only if you mean a new journal (the same key with a different
body is refused: IDEMPOTENCY_KEY_REUSED).

The whole file is checked before anything is sent (syntax, required fields,
decimal quantities and values, dates); a mistake is reported with its line or
row and column, and nothing is sent (exit code 2).

FILE FORMATS (--format auto picks by extension, else by the first character):

JSON: one PostJournalRequest object in protojson form, an array of them, or
JSON Lines (one object per line). Quantities and values are strings.

  {"book_id": "H12345678901", "idempotency_key": "2201-IN-0001",
   "effective_date": "2026-03-02",
   "document": {"type": "ENTRY", "number": "QD2201260000001", "trade_mode": "5034"},
   "postings": [{"item_code": "1", "from": {"name": "abroad"},
                 "to": {"book_id": "H12345678901", "name": "bonded"},
                 "quantity": "1200.5", "unit": "KGM", "value": "86436.00"}]}

CSV: a header, then one posting per row; rows sharing an idempotency_key form
one journal and must agree on book_id, effective_date, doc_type, doc_number
and trade_mode. Columns: idempotency_key, book_id, effective_date, doc_type,
doc_number, trade_mode, item_code, from_book, from_account, to_book,
to_account, quantity, unit, value, lot (trade_mode, from_book, to_book, value,
lot and item_book_id may be left out). An empty from_book or to_book names a
world account (abroad, domestic, consumed, ...).

  idempotency_key,book_id,effective_date,doc_type,doc_number,trade_mode,item_code,from_book,from_account,to_book,to_account,quantity,unit,value,lot
  2201-IN-0001,H12345678901,2026-03-02,ENTRY,QD2201260000001,5034,1,,abroad,H12345678901,bonded,1200.5,KGM,86436.00,
  2201-IN-0001,H12345678901,2026-03-02,ENTRY,QD2201260000001,5034,2,,abroad,H12345678901,bonded,40,PCE,5200.00,`

func (a *app) journalsPostCmd() *cobra.Command {
	var file, format string
	var chunk int
	var noProgress, dryRun bool
	c := &cobra.Command{
		Use:   "post",
		Short: "Post journals in bulk from a JSON, JSON Lines or CSV file (safe to re-run)",
		Long:  journalsPostLong,
		Example: `  zonectl journals post --file journals.csv
  zonectl journals post --file day-0302.jsonl -o csv > results.csv
  zonectl journals post --file journals.json --dry-run`,
		Args: exactArgs(0, "no arguments"),
		RunE: a.act(func(cmd *cobra.Command, _ []string) error {
			ff, err := input.ParseFileFormat(format)
			if err != nil {
				return asUsage(err)
			}
			if chunk < 1 || chunk > post.MaxChunk {
				return usagef("--chunk %d: give 1 to %d", chunk, post.MaxChunk)
			}
			js, err := readInput(a, file, func(r io.Reader) ([]input.Journal, error) { return input.ReadJournals(r, file, ff) })
			if err != nil {
				return err
			}
			if dryRun {
				n := 0
				for _, j := range js {
					n += len(j.Req.GetPostings())
				}
				a.note("%s: %d journals, %d postings, well-formed; nothing sent (--dry-run)", file, len(js), n)
				return nil
			}
			c, err := a.connect()
			if err != nil {
				return err
			}
			reqs := make([]*ledgerv1.PostJournalRequest, len(js))
			for i, j := range js {
				reqs[i] = j.Req
			}
			set, end := a.progress(!noProgress && len(js) > post.MaxChunk, len(js), "journals")
			rep := post.Send(cmd.Context(), c.ledger, reqs, post.Options{Chunk: chunk, Timeout: a.g.timeout, Progress: set})
			end()
			if err := a.printPostReport(file, js, rep); err != nil {
				return err
			}
			if rep.Err != nil {
				return fmt.Errorf("stopped with %d of %d journals answered: %w", len(js)-rep.Count(post.Unanswered), len(js), rep.Err)
			}
			if rep.Count(post.Refused) > 0 {
				return errReported
			}
			return nil
		}),
	}
	c.Flags().StringVarP(&file, "file", "f", "", "journal file (.json, .jsonl, .csv), - for standard input (required)")
	c.Flags().StringVar(&format, "format", "auto", "file format: auto, json (object, array or JSON Lines) or csv")
	c.Flags().IntVar(&chunk, "chunk", post.MaxChunk, "journals per PostJournals call, 1 to 100")
	c.Flags().BoolVar(&noProgress, "no-progress", false, "never show the progress bar")
	c.Flags().BoolVar(&dryRun, "dry-run", false, "only check the file; send nothing (needs no token)")
	required(c, "file")
	return c
}

// postResult is one journal's line of the JSON report.
type postResult struct {
	Index          int                  `json:"index"`
	Source         string               `json:"source"`
	BookID         string               `json:"book_id"`
	IdempotencyKey string               `json:"idempotency_key"`
	Status         string               `json:"status"`
	JournalID      string               `json:"journal_id,omitempty"`
	Error          *ledgerv1JournalJSON `json:"error,omitempty"`
}

// ledgerv1JournalJSON mirrors ledgerv1.JournalError with proto field names.
type ledgerv1JournalJSON struct {
	Code    string `json:"code"`
	Reason  string `json:"reason"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

// postReport is the JSON report of 'journals post'.
type postReport struct {
	File            string         `json:"file"`
	Journals        int            `json:"journals"`
	Accepted        int            `json:"accepted"`
	Replayed        int            `json:"replayed"`
	Refused         int            `json:"refused"`
	Unanswered      int            `json:"unanswered"`
	RefusedByReason map[string]int `json:"refused_by_reason"`
	Results         []postResult   `json:"results"`
}

var postResultHeader = []string{"index", "source", "book_id", "idempotency_key", "status", "journal_id",
	"code", "reason", "field", "message"}

func postResultRow(j input.Journal, o post.Outcome) []string {
	src := j.Source()
	if o.Status == post.Refused {
		src = j.Locate(o.Error.GetField())
	}
	return []string{strconv.Itoa(j.Index), src, j.Req.GetBookId(), j.Req.GetIdempotencyKey(), o.Status.String(),
		id(o.Journal.GetJournalId()), o.Error.GetCode(), o.Error.GetReason(), o.Error.GetField(), o.Error.GetMessage()}
}

// summary is the one-line account of a run.
func summary(file string, rep post.Report) string {
	s := fmt.Sprintf("%s: %d journals: %d accepted, %d replayed, %d refused", file, len(rep.Outcomes),
		rep.Count(post.Accepted), rep.Count(post.Replayed), rep.Count(post.Refused))
	if n := rep.Count(post.Unanswered); n > 0 {
		s += fmt.Sprintf(", %d unanswered (re-run the file to book them; it is safe)", n)
	}
	return s
}

// reasonsByCount orders reasons by count, then name.
func reasonsByCount(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	return keys
}

// printPostReport prints the outcome of 'journals post': table, a summary
// and the refused journals; CSV, one row per journal (summary on stderr);
// JSON, one report object.
func (a *app) printPostReport(file string, js []input.Journal, rep post.Report) error {
	switch a.format {
	case output.JSON:
		out := postReport{File: file, Journals: len(js), Accepted: rep.Count(post.Accepted), Replayed: rep.Count(post.Replayed),
			Refused: rep.Count(post.Refused), Unanswered: rep.Count(post.Unanswered), RefusedByReason: rep.RefusedByReason(),
			Results: make([]postResult, len(js))}
		for i, j := range js {
			row := postResultRow(j, rep.Outcomes[i])
			r := postResult{Index: j.Index, Source: row[1], BookID: row[2], IdempotencyKey: row[3], Status: row[4], JournalID: row[5]}
			if e := rep.Outcomes[i].Error; e != nil {
				r.Error = &ledgerv1JournalJSON{Code: e.GetCode(), Reason: e.GetReason(), Field: e.GetField(), Message: e.GetMessage()}
			}
			out.Results[i] = r
		}
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	case output.CSV:
		rows := make([][]string, len(js))
		for i, j := range js {
			rows[i] = postResultRow(j, rep.Outcomes[i])
		}
		a.note("%s", summary(file, rep))
		return output.Rows(a.stdout, a.format, postResultHeader, rows)
	}
	fmt.Fprintln(a.stdout, summary(file, rep))
	byReason := rep.RefusedByReason()
	if len(byReason) == 0 {
		return nil
	}
	fmt.Fprintln(a.stdout, "\nrefused by reason:")
	rows := make([][]string, 0, len(byReason))
	for _, r := range reasonsByCount(byReason) {
		rows = append(rows, []string{r, strconv.Itoa(byReason[r])})
	}
	if err := output.Rows(a.stdout, output.Table, []string{"reason", "journals"}, rows); err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, "\nrefused journals:")
	rows = rows[:0]
	for i, j := range js {
		if o := rep.Outcomes[i]; o.Status == post.Refused {
			full := postResultRow(j, o)
			rows = append(rows, []string{full[1], full[2], full[3], full[7], full[8], full[9]})
		}
	}
	return output.Rows(a.stdout, output.Table, []string{"source", "book_id", "idempotency_key", "reason", "field", "message"}, rows)
}

func (a *app) journalsReverseCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "reverse", method: ledgerv1.LedgerService_ReverseJournal_FullMethodName,
		short: "Book a journal that exactly reverses an earlier one",
		example: `  zonectl journals reverse --book H12345678901 --journal 4711 --key rev-4711 \
      --date 2026-03-05 --reason "wrong quantity on QD2201260000001"`,
		bind: "journal=journal_id key=idempotency_key date=effective_date",
		note: func(m proto.Message) string {
			if r := m.(*ledgerv1.ReverseJournalResponse); r.GetReplayed() {
				return fmt.Sprintf("replayed: key %q was booked before; this is the original reversing journal", r.GetJournal().GetIdempotencyKey())
			}
			return ""
		}}, journalView)
}

func (a *app) journalsGetCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "get", method: ledgerv1.LedgerService_GetJournal_FullMethodName,
		short: "Show one journal with its postings", example: "  zonectl journals get 4711 -o json", bind: "ID=journal_id"}, journalView)
}

func (a *app) journalsListCmd() *cobra.Command {
	req := &ledgerv1.StreamJournalsRequest{}
	return leaf(&cobra.Command{
		Use:   "list",
		Short: "Stream the journals of a book (one row per posting in table and CSV)",
		Long: `Stream the journals of a book in journal_id order, optionally only those
effective from --from to --to (inclusive). Table and CSV print one row per
posting. --timeout bounds the wait for each next journal, not the whole
stream. If the stream breaks, the error names the last journal received:
resume with --after ID.`,
		Example: "  zonectl journals list --book H12345678901 --from 2026-03-01 --to 2026-03-31 -o csv > march.csv",
		RunE: a.act(func(cmd *cobra.Command, _ []string) error {
			c, err := a.connect()
			if err != nil {
				return err
			}
			l := output.NewList(a.stdout, a.format, journalView.header)
			last, err := a.streamJournals(cmd.Context(), c.ledger, req, func(j *ledgerv1.Journal) error { return l.Add(j, journalView.rows(j)...) })
			if err != nil && last > 0 {
				err = fmt.Errorf("stream broken after journal %d (resume with --after %d): %w", last, last, err)
			}
			return closeList(l, err)
		}),
	}, flagSpec{&req.BookId, "book", "book identifier (required)"},
		flagSpec{&req.FromDate, "from", "first effective date, YYYY-MM-DD, inclusive"},
		flagSpec{&req.ToDate, "to", "last effective date, YYYY-MM-DD, inclusive"},
		flagSpec{&req.AfterJournalId, "after", "only journals with a larger id (resume a broken stream)"})
}

// streamJournals receives the stream, calling each for every journal, with
// --timeout as the longest wait for the next message. It returns the last
// journal id received.
func (a *app) streamJournals(ctx context.Context, lc ledgerv1.LedgerServiceClient, req *ledgerv1.StreamJournalsRequest,
	each func(*ledgerv1.Journal) error) (int64, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var idle atomic.Bool
	var timer *time.Timer
	if a.g.timeout > 0 {
		timer = time.AfterFunc(a.g.timeout, func() { idle.Store(true); cancel() })
		defer timer.Stop()
	}
	stream, err := lc.StreamJournals(ctx, req)
	var last int64
	for err == nil {
		var resp *ledgerv1.StreamJournalsResponse
		resp, err = stream.Recv()
		if err != nil {
			break
		}
		if timer != nil {
			timer.Reset(a.g.timeout)
		}
		if err = each(resp.GetJournal()); err != nil {
			return last, err
		}
		last = resp.GetJournal().GetJournalId()
	}
	if errors.Is(err, io.EOF) {
		return last, nil
	}
	if idle.Load() {
		return last, status.Errorf(codes.DeadlineExceeded, "no journal arrived within --timeout %s", a.g.timeout)
	}
	return last, err
}
