package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"google.golang.org/grpc"

	"github.com/zoneledger/zoneledger/cmd/zonectl/internal/output"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// The write-off (核销): WriteOffService — the cycle, the stocktake notice,
// the count file, the differences, the shortage's payment, the surplus's
// explanation and decision, and the close.

func (a *app) writeoffCmd() *cobra.Command {
	c := group("writeoff", "Write-off (核销): inventory balance, cycle, stocktake notice and count, differences, shortage tax payment, surplus, close",
		append([]*cobra.Command{a.writeoffBalanceCmd()}, a.writeoffCycleCmds()...)...)
	c.Long = `The write-off of a zone book under 四自一简 (GACC 公告2019年第26号). The enterprise
sets its cycle (1 to 12 months; customs sets its start), notifies customs of a
stocktake (盘点) on a date, then imports the physical count per book line and
status from a CSV or XLSX file (header book_seq,status,quantity; status BONDED
or NONBONDED). A bad row is refused with its row and column, and nothing of the
file is stored. The differences (counted − booked as of the stocktake date)
come out per line: a shortage (盘亏) leaves the book and its tax is assessed
(by materials with 缓税利息 for processed goods); customs records its
self-payment (自报自缴). A surplus (盘盈) is explained by the enterprise and
approved (its adjustment journal is posted) or rejected by customs. Closing
seals the book's period through the stocktake date and sets its last
write-off date.

The bonded inventory balance (保税库存平衡表, 'balance') of a book over any
period: every line, bonded and non-bonded, with opening, in and out by flow,
consumed, scrap made and the theoretical closing balance. An enterprise reads
its own books; customs reads every book.`
	return c
}

// writeoffCycleCmds are the cycle and stocktake commands of 'writeoff'.
func (a *app) writeoffCycleCmds() []*cobra.Command {
	const st = "stocktake=stocktake_no"
	return []*cobra.Command{
		rpcCmd(a, rpcSpec{use: "cycle-set", method: customsv1.WriteOffService_SetCycle_FullMethodName,
			short:   "Set a book's write-off cycle, 1 to 12 months (the book's enterprise)",
			example: `  zonectl customs writeoff cycle-set --book H31050000001 --months 6`}, woCycleView),
		rpcCmd(a, rpcSpec{use: "cycle-start", method: customsv1.WriteOffService_SetCycleStart_FullMethodName,
			short:   "Set the first day of a book's write-off cycle (customs)",
			example: `  zonectl customs writeoff cycle-start --book H31050000001 --start 2026-01-01`}, woCycleView),
		rpcCmd(a, rpcSpec{use: "cycle", method: customsv1.WriteOffService_GetCycle_FullMethodName,
			short: "Show a book's write-off cycle"}, woCycleView),
		rpcCmd(a, rpcSpec{use: "notify", method: customsv1.WriteOffService_NotifyStocktake_FullMethodName,
			short:   "Notify customs of a stocktake on a date (safe to repeat)",
			example: `  zonectl customs writeoff notify --inner PD-2026-1 --book H31050000001 --date 2026-12-31`}, woStocktakeView),
		a.woImportCmd(),
		rpcCmd(a, rpcSpec{use: "stocktake", method: customsv1.WriteOffService_GetStocktake_FullMethodName, bind: st,
			short: "Show a stocktake: its status and how many differences are unsettled"}, woStocktakeView),
		rpcCmd(a, rpcSpec{use: "stocktakes", method: customsv1.WriteOffService_ListStocktakes_FullMethodName,
			short: "List a book's stocktakes, oldest first"}, woStocktakeView),
		a.woDifferencesCmd(),
		rpcCmd(a, rpcSpec{use: "pay", method: customsv1.WriteOffService_RecordShortagePayment_FullMethodName, bind: st + " payment=payment_no",
			short:   "Record the self-payment (自报自缴) of a shortage's tax: the amount assessed, to the fen (customs)",
			example: `  zonectl customs writeoff pay --stocktake PDH31050000001001 --line 1 --payment 310520261234567890 --amount 593.40 --date 2026-12-31`}, woDifferenceView),
		rpcCmd(a, rpcSpec{use: "explain", method: customsv1.WriteOffService_ExplainSurplus_FullMethodName, bind: st,
			short:   "Explain a surplus (盘盈) and give the value its goods would enter with (the book's enterprise)",
			example: `  zonectl customs writeoff explain --stocktake PDH31050000001001 --line 3 --status bonded --explanation "booked out twice" --value 400`}, woDifferenceView),
		rpcCmd(a, rpcSpec{use: "decide", method: customsv1.WriteOffService_DecideSurplus_FullMethodName, bind: st + " approve|reject=approve",
			short:   "Approve (post the adjustment journal) or reject an explained surplus (customs)",
			example: `  zonectl customs writeoff decide --stocktake PDH31050000001001 --line 3 --status bonded --approve --note ok`}, woDifferenceView),
		rpcCmd(a, rpcSpec{use: "close", method: customsv1.WriteOffService_CloseWriteOff_FullMethodName, bind: st,
			short: "Close the write-off: seal the period and its evidence through the stocktake date, set the book's last write-off date (safe to repeat)"}, woStocktakeView),
		a.woAttentionCmd(),
	}
}

var woCycleView = cols[*customsv1.WriteOffCycle]("book_no", "months", "start", "current_end", "set_by", "start_set_by")

var woStocktakeView = cols[*customsv1.Stocktake]("stocktake_no", "inner_no", "book_no", "date", "notified_on", "status", "rows", "differences",
	"shortages", "surpluses", "unsettled", "shortage_journals=shortage_journal_ids/ ", "digest", "evidence_digest", "evidence_through")

var woDifferenceView = cols[*customsv1.Difference]("line=book_seq", "status", "name", "unit", "booked", "counted", "difference", "value", "tax",
	"duty", "vat", "consumption_tax", "interest", "duty_basis", "payment.payment_no", "paid=payment.amount", "explanation", "decision", "settled")

// countChunk is how many bytes of a count file one message carries.
const countChunk = 256 << 10

func (a *app) woImportCmd() *cobra.Command {
	var no, key, file, format string
	var noProgress bool
	return leaf(&cobra.Command{
		Use:   "import --stocktake NO --key KEY --file COUNT.csv|COUNT.xlsx",
		Short: "Import a stocktake's physical count from a CSV or XLSX file (all or nothing; safe to repeat)",
		Long: `Sends the count file to the server in chunks, with a progress bar on stderr
for large files. The file's first row names the columns book_seq, status and
quantity (other columns are ignored); each row is one book line in one status
(BONDED or NONBONDED). A (line, status) the file leaves out counts zero. The
server reads the whole file: a bad row is refused with its row and column
(STOCKTAKE_COUNT_ROW, field rows[R].column) and nothing is stored.`,
		Example: `  zonectl customs writeoff import --stocktake PDH31050000001001 --key count-1 --file count.xlsx`,
		RunE: a.act(func(cmd *cobra.Command, _ []string) error {
			f := customsv1.CountFileFormat_COUNT_FILE_FORMAT_CSV
			switch strings.ToLower(format) {
			case "":
				if strings.EqualFold(filepath.Ext(file), ".xlsx") {
					f = customsv1.CountFileFormat_COUNT_FILE_FORMAT_XLSX
				}
			case "csv":
			case "xlsx":
				f = customsv1.CountFileFormat_COUNT_FILE_FORMAT_XLSX
			default:
				return usagef("--format %q: csv or xlsx", format)
			}
			in, err := os.Open(file)
			if err != nil {
				return usagef("--file: %v", err)
			}
			defer in.Close()
			info, err := in.Stat()
			if err != nil {
				return usagef("--file: %v", err)
			}
			return show(a, cmd, woStocktakeView, func(ctx context.Context, c *clients) (*customsv1.Stocktake, error) {
				return a.sendCount(ctx, c, in, info.Size(), !noProgress, &customsv1.ImportStocktakeRequest{StocktakeNo: no, IdempotencyKey: key, Format: f})
			})
		}),
	}, flagSpec{&no, "stocktake", "stocktake number (required)"}, flagSpec{&key, "key", "your own key of the import: its idempotency key (required)"},
		flagSpec{&file, "file", "the count file, .csv or .xlsx (required)"}, flagSpec{&format, "format", "csv or xlsx (default: by the file's extension)"},
		flagSpec{&noProgress, "no-progress", "no progress bar"})
}

// sendCount streams a count file to ImportStocktake: first names the
// stocktake, key and format; the file follows in chunks.
func (a *app) sendCount(ctx context.Context, c *clients, in io.Reader, size int64, progress bool, first *customsv1.ImportStocktakeRequest) (*customsv1.Stocktake, error) {
	st, err := c.writeoff.ImportStocktake(ctx)
	if err != nil {
		return nil, err
	}
	set, end := a.progress(progress && size > countChunk, int(size), "count file bytes")
	defer end()
	buf := make([]byte, countChunk)
	sent, m := 0, first
	for {
		n, rerr := io.ReadFull(in, buf)
		if n > 0 || m != nil {
			if m == nil {
				m = &customsv1.ImportStocktakeRequest{}
			}
			m.Chunk = buf[:n]
			if err := st.Send(m); err != nil {
				break // the server's answer says why
			}
			sent += n
			set(sent)
			m = nil
		}
		if rerr == io.EOF || rerr == io.ErrUnexpectedEOF {
			break
		}
		if rerr != nil {
			return nil, fmt.Errorf("reading the count file: %w", rerr)
		}
	}
	r, err := st.CloseAndRecv()
	return r.GetStocktake(), err
}

func (a *app) woDifferencesCmd() *cobra.Command {
	var no, format, out string
	return leaf(&cobra.Command{
		Use:   "differences --stocktake NO [--format table|csv|xlsx] [--out FILE]",
		Short: "List a counted stocktake's differences per line and status, with each shortage's tax (amounts as exact text)",
		Long: `List a counted stocktake's differences per line and status: booked, counted,
difference, value, each shortage's tax and payment, each surplus's explanation
and decision. --format table (the default) prints the rows (-o json or csv of
them); --format csv or xlsx has the server write its report file (every figure
exact text; XLSX cells are text) to --out FILE (default: the server's file
name; - for standard output). The format may come from --out's extension.`,
		Example: `  zonectl customs writeoff differences --stocktake PDH31050000001001
  zonectl customs writeoff differences --stocktake PDH31050000001001 --out differences.xlsx`,
		RunE: a.act(func(cmd *cobra.Command, _ []string) error {
			kind, f, err := reportFormatOf(format, out)
			if err != nil {
				return err
			}
			if kind != "table" {
				return saveReport(a, cmd, "the differences of stocktake "+no, kind, out,
					func(ctx context.Context, c *clients) (grpc.ServerStreamingClient[customsv1.ExportDifferencesResponse], error) {
						return c.writeoff.ExportDifferences(ctx, &customsv1.ExportDifferencesRequest{StocktakeNo: no, Format: f})
					})
			}
			return sendShowPages(a, cmd, woDifferenceView, customsv1.WriteOffServiceClient.ListDifferences,
				&customsv1.ListDifferencesRequest{StocktakeNo: no})
		}),
	}, flagSpec{&no, "stocktake", "stocktake number (required)"},
		flagSpec{&format, "format", "table (default), csv or xlsx: csv and xlsx are the server's report file"},
		flagSpec{&out, "out", "with csv or xlsx: write the file here (- for standard output)"})
}

// writeoffBalanceHeader are the columns of the balance table; the CSV and
// XLSX files the server writes have a column per flow instead of flows.
var writeoffBalanceHeader = []string{"book_seq", "name", "unit", "status", "opening", "in", "out", "consumed", "scrap_made", "closing", "closing_value", "flows"}

func writeoffBalanceRow(l *customsv1.BalanceLine) []string {
	var flows []string
	for _, f := range l.GetFlows() {
		flows = append(flows, strings.ToLower(enumName(f.GetFlow(), "BALANCE_FLOW_"))+" "+f.GetAmount().GetQuantity())
	}
	return []string{fmt.Sprint(l.GetBookSeq()), l.GetName(), l.GetUnit(), enumName(l.GetStatus(), "BALANCE_STATUS_"),
		l.GetOpening().GetQuantity(), l.GetIn().GetQuantity(), l.GetOut().GetQuantity(), l.GetConsumed().GetQuantity(),
		l.GetScrapMade().GetQuantity(), l.GetClosing().GetQuantity(), l.GetClosing().GetValue(), strings.Join(flows, "; ")}
}

func (a *app) writeoffBalanceCmd() *cobra.Command {
	var book, from, to, format, out string
	return leaf(&cobra.Command{
		Use:   "balance --book BOOK --from DATE --to DATE [--format table|csv|xlsx] [--out FILE]",
		Short: "The bonded inventory balance (保税库存平衡表) of a book over a period",
		Long: `Show a book's bonded inventory balance (保税库存平衡表) from --from to --to
(business dates, inclusive): every book line twice, bonded then non-bonded
(goods stored beside them), with the opening balance (the end of the day
before --from), what came in and went out by flow (first line, second line,
returns, transfers, produced, scrap made, status switches, destruction ...),
what was consumed (production, R&D, repair), and the theoretical closing
balance: opening + in - out - consumed, exactly, which is what the book holds
at the end of --to. Quantities are in each line's declared unit, values in
CNY. The server computes it from the ledger's per-day totals.

--format table (the default) prints one row per line and status (with -o,
as json or csv of these rows); the flows column names each flow that moved
the row and its quantity.

--format csv or xlsx has the server write the report file: a column per flow
(quantity and value), every figure exact text (XLSX: text cells, so no
spreadsheet float touches them). It is written to --out FILE (default: the
server's file name in the current directory; --out - for standard output).
The format may also come from --out's extension (.csv, .xlsx).`,
		Example: `  zonectl customs writeoff balance --book H31050000001 --from 2026-11-01 --to 2026-11-30
  zonectl customs writeoff balance --book H31050000001 --from 2026-11-01 --to 2026-11-30 --format xlsx --out balance-2026-11.xlsx`,
		RunE: a.act(func(cmd *cobra.Command, _ []string) error {
			if from > to {
				return usagef("--from %s is after --to %s", from, to)
			}
			kind, f, err := reportFormatOf(format, out)
			if err != nil {
				return err
			}
			if kind != "table" {
				return saveReport(a, cmd, fmt.Sprintf("the balance of %s from %s to %s", book, from, to), strings.ToUpper(kind), out,
					func(ctx context.Context, c *clients) (grpc.ServerStreamingClient[customsv1.ExportInventoryBalanceResponse], error) {
						return c.writeoff.ExportInventoryBalance(ctx, &customsv1.ExportInventoryBalanceRequest{BookNo: book, From: from, To: to, Format: f})
					})
			}
			return a.writeoffBalanceTable(cmd, &customsv1.GetInventoryBalanceRequest{BookNo: book, From: from, To: to})
		}),
	}, flagSpec{&book, "book", "the book number (required)"},
		flagSpec{ymd(&from), "from", "first day of the period, YYYY-MM-DD (required)"},
		flagSpec{ymd(&to), "to", "last day of the period, inclusive, YYYY-MM-DD (required)"},
		flagSpec{&format, "format", "table (default), csv or xlsx: csv and xlsx are the server's report file"},
		flagSpec{&out, "out", "with csv or xlsx: write the file here (- for standard output)"})
}

// writeoffBalanceTable streams the balance and prints its rows.
func (a *app) writeoffBalanceTable(cmd *cobra.Command, req *customsv1.GetInventoryBalanceRequest) error {
	c, err := a.connect()
	if err != nil {
		return err
	}
	ctx, cancel := a.callCtx(cmd.Context())
	defer cancel()
	st, err := c.writeoff.GetInventoryBalance(ctx, req)
	if err != nil {
		return err
	}
	l := output.NewList(a.stdout, a.format, writeoffBalanceHeader)
	for {
		m, err := st.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return closeList(l, err)
		}
		for _, line := range m.GetLines() {
			if err := l.Add(line, writeoffBalanceRow(line)); err != nil {
				return err
			}
		}
	}
	return l.Close()
}

// reportChunk is a message of a report file's stream.
type reportChunk interface {
	GetFileName() string
	GetContentType() string
	GetData() []byte
}

// saveReport receives a report file the server writes and saves it to out
// (empty: the server's file name in the current directory; "-": standard
// output). what names the report in the note on stderr.
func saveReport[M any, P interface {
	*M
	reportChunk
}](a *app, cmd *cobra.Command, what, format, out string, open func(ctx context.Context, c *clients) (grpc.ServerStreamingClient[M], error)) error {
	c, err := a.connect()
	if err != nil {
		return err
	}
	ctx, cancel := a.callCtx(cmd.Context())
	defer cancel()
	st, err := open(ctx, c)
	if err != nil {
		return err
	}
	var data []byte
	var name, ctype string
	for {
		m, err := st.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		pm := P(m)
		if pm.GetFileName() != "" {
			name, ctype = pm.GetFileName(), pm.GetContentType()
		}
		data = append(data, pm.GetData()...)
	}
	if len(data) == 0 {
		return fmt.Errorf("the server sent no %s file", format)
	}
	if out == "-" {
		_, err := a.stdout.Write(data)
		return err
	}
	if out == "" {
		out = filepath.Base(name)
	}
	// Written whole once the stream ended, so an interrupted call leaves no
	// half file behind.
	if err := os.WriteFile(out, data, 0o666); err != nil {
		return fmt.Errorf("writing %s: %w", what, err)
	}
	a.note("%s: %d bytes (%s, the server's name %s): %s", out, len(data), ctype, name, what)
	return nil
}

// reportFormatOf is the format asked for with --format, or from --out's
// extension: "table", or the server's report format for csv and xlsx.
func reportFormatOf(format, out string) (string, customsv1.ReportFormat, error) {
	if format == "" {
		switch strings.ToLower(filepath.Ext(out)) {
		case ".csv":
			format = "csv"
		case ".xlsx":
			format = "xlsx"
		default:
			format = "table"
		}
	}
	switch format {
	case "table":
		if out != "" {
			return "", 0, usagef("--out is for --format csv or xlsx; the table goes to standard output")
		}
		return format, 0, nil
	case "csv":
		return format, customsv1.ReportFormat_REPORT_FORMAT_CSV, nil
	case "xlsx":
		return format, customsv1.ReportFormat_REPORT_FORMAT_XLSX, nil
	}
	return "", 0, usagef("--format %q: choose table, csv or xlsx", format)
}

// woAttentionView are the columns of the attention list.
var woAttentionView = cols[*customsv1.AttentionItem]("since", "days", "kind", "enterprise", "book_no", "documents/ ", "due", "quantity", "amount", "note")

func (a *app) woAttentionCmd() *cobra.Command {
	var asOf, book, format, out string
	return leaf(&cobra.Command{
		Use:   "attention [--book BOOK] [--as-of DATE] [--format table|csv|xlsx] [--out FILE]",
		Short: "List what needs customs' attention on the books you read, oldest first",
		Long: `List what needs customs' attention on the books you may read (customs: every
book; an enterprise: its own), as of --as-of (default today), oldest first,
all pages:

  WRITE_OFF_CYCLE_ENDING   the book's write-off cycle ends within writeoff.attention_cycle_days
  WRITE_OFF_CYCLE_OVERDUE  the cycle has ended and the book is not written off for it
  SHORTAGE_UNPAID          a stocktake shortage taxed and its self-payment not recorded
  LIST_DECLARED            a list declared and not cleared for more than writeoff.attention_list_days
  GATE_HOLD                a vehicle held at the gate, neither released nor rejected
  ECOMMERCE_TAX_OVERDUE    cross-border tax of a released list past its due date
  OVERDUE_<kind>           a row of 'zonectl customs overdue' (goods past their due-back
                           date, 分送集报 trips and 先入区后报关 goods not declared in time)

since is the day it began to need attention, days the days from it; documents
names the document to act on first. Quantities and amounts are exact text.

--format table (the default) prints the rows (-o json or csv of them); --format
csv or xlsx has the server write its report file (XLSX cells are text) to --out
FILE (default: the server's file name; - for standard output). The format may
come from --out's extension.`,
		Example: `  zonectl customs writeoff attention
  zonectl customs writeoff attention --book H31050000001 --as-of 2026-06-30 --out attention.xlsx`,
		RunE: a.act(func(cmd *cobra.Command, _ []string) error {
			kind, f, err := reportFormatOf(format, out)
			if err != nil {
				return err
			}
			if kind != "table" {
				return saveReport(a, cmd, "what needs customs' attention", kind, out,
					func(ctx context.Context, c *clients) (grpc.ServerStreamingClient[customsv1.ExportAttentionResponse], error) {
						return c.writeoff.ExportAttention(ctx, &customsv1.ExportAttentionRequest{BookNo: book, AsOf: asOf, Format: f})
					})
			}
			return sendShowPages(a, cmd, woAttentionView, customsv1.WriteOffServiceClient.ListAttention,
				&customsv1.ListAttentionRequest{BookNo: book, AsOf: asOf})
		}),
	}, flagSpec{ymd(&asOf), "as-of", "list what needs attention as of this business date, YYYY-MM-DD (default: today)"},
		flagSpec{&book, "book", "only this book"},
		flagSpec{&format, "format", "table (default), csv or xlsx: csv and xlsx are the server's report file"},
		flagSpec{&out, "out", "with csv or xlsx: write the file here (- for standard output)"})
}
