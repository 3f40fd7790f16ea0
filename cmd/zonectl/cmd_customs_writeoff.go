package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/zoneledger/zoneledger/cmd/zonectl/internal/output"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// Write-off (核销): WriteOffService.

func (a *app) writeoffCmd() *cobra.Command {
	c := group("writeoff", "Write-off (核销): the bonded inventory balance (保税库存平衡表) of a book",
		a.writeoffBalanceCmd())
	c.Long = `The write-off side of a book (WriteOffService):

  balance  the bonded inventory balance (保税库存平衡表) of a book over a period:
           every line, bonded and non-bonded, with opening, in and out by
           flow, consumed, scrap made and the theoretical closing balance

An enterprise reads its own books; customs reads every book.`
	return c
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
	c := &cobra.Command{
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
		Args: exactArgs(0, "no arguments"),
		RunE: a.act(func(cmd *cobra.Command, _ []string) error {
			for flag, v := range map[string]string{"from": from, "to": to} {
				if !isoDate.MatchString(v) {
					return usagef("--%s %q: write YYYY-MM-DD", flag, v)
				}
			}
			if from > to {
				return usagef("--from %s is after --to %s", from, to)
			}
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
					return usagef("--out is for --format csv or xlsx; the table goes to standard output")
				}
				return a.writeoffBalanceTable(cmd, &customsv1.GetInventoryBalanceRequest{BookNo: book, From: from, To: to})
			case "csv", "xlsx":
				f := customsv1.ReportFormat_REPORT_FORMAT_CSV
				if format == "xlsx" {
					f = customsv1.ReportFormat_REPORT_FORMAT_XLSX
				}
				return a.writeoffBalanceExport(cmd, &customsv1.ExportInventoryBalanceRequest{BookNo: book, From: from, To: to, Format: f}, out)
			}
			return usagef("--format %q: choose table, csv or xlsx", format)
		}),
	}
	bind(c, flagSpec{&book, "book", "the book number (required)"},
		flagSpec{&from, "from", "first day of the period, YYYY-MM-DD (required)"},
		flagSpec{&to, "to", "last day of the period, inclusive, YYYY-MM-DD (required)"},
		flagSpec{&format, "format", "table (default), csv or xlsx: csv and xlsx are the server's report file"},
		flagSpec{&out, "out", "with csv or xlsx: write the file here (- for standard output)"})
	return c
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

// writeoffBalanceExport streams the server's report file to out.
func (a *app) writeoffBalanceExport(cmd *cobra.Command, req *customsv1.ExportInventoryBalanceRequest, out string) error {
	c, err := a.connect()
	if err != nil {
		return err
	}
	ctx, cancel := a.callCtx(cmd.Context())
	defer cancel()
	st, err := c.writeoff.ExportInventoryBalance(ctx, req)
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
		if m.GetFileName() != "" {
			name, ctype = m.GetFileName(), m.GetContentType()
		}
		data = append(data, m.GetData()...)
	}
	if len(data) == 0 {
		return fmt.Errorf("the server sent no %s file", enumName(req.GetFormat(), "REPORT_FORMAT_"))
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
		return fmt.Errorf("writing the balance: %w", err)
	}
	a.note("%s: %d bytes (%s, the server's name %s): the balance of %s from %s to %s", out, len(data), ctype, name, req.GetBookNo(), req.GetFrom(), req.GetTo())
	return nil
}
