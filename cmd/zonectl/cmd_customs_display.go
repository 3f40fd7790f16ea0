package main

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"google.golang.org/protobuf/proto"

	"github.com/zoneledger/zoneledger/cmd/zonectl/internal/input"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// Bonded display trading (保税展示交易): DisplayService, under type-C
// business forms filed with 'zonectl customs form create --type C'.

func (a *app) displayCmd() *cobra.Command {
	c := group("display", "Bonded display trading (保税展示交易) under a type-C form: goods out, sold, back; tax payments; status",
		a.displayMoveCmd(customsv1.DisplayKind_DISPLAY_KIND_OUT), a.displayMoveCmd(customsv1.DisplayKind_DISPLAY_KIND_SALE),
		a.displayMoveCmd(customsv1.DisplayKind_DISPLAY_KIND_BACK), a.displayPayCmd(), a.displayStatusCmd(), a.displayOverdueCmd())
	c.Long = `Bonded display trading (保税展示交易) under a type-C business form filed with a
guarantee ('zonectl customs form create --type C --guarantee AMOUNT'):

  out     goods leave the zone for display; they stay on the book, bonded
          (the stock report's display column), within the form's validity
  sale    goods sold on display: each line is taxed by the tax engine and the
          sale's tax must fit in what the guarantee still covers
          (GUARANTEE_EXCEEDED: nothing moves)
  back    unsold goods come back into the zone
  pay     customs records a collective tax payment: the guarantee covers that
          much more again
  status  the guarantee, the tax assessed and paid, what the guarantee still
          covers, what is on display per book line, and whether goods are out
          after the form's last day (overdue)

out, sale and back are filed under the enterprise's own number (--inner-no),
their idempotency key: running the same command again returns the movement
booked the first time.`
	return c
}

// Display movements.

var displayMoveView = cols[*customsv1.DisplayMove]("move_no", "inner_no", "book_no", "apply_no", "kind", "date", "len:lines", "tax", "journal_id?")

var displayMoveLong = map[customsv1.DisplayKind]string{
	customsv1.DisplayKind_DISPLAY_KIND_OUT: `Take bonded goods out of the zone for display under a type-C form (bonded ->
display). The goods stay on the book, bonded; the business date must be
within the form's validity (FORM_PERIOD).`,
	customsv1.DisplayKind_DISPLAY_KIND_SALE: `Report goods sold on display (先销后税: display -> domestic). Every line states
its price in CNY (SEQ:QTY:VALUE), the dutiable value; the tax engine assesses
each line (a taxable event) and the sale's tax must fit in what the form's
guarantee still covers, else the sale is refused (GUARANTEE_EXCEEDED) and
nothing moves: customs records a payment ('display pay') first. At most what
the form has on display (INSUFFICIENT_STOCK).`,
	customsv1.DisplayKind_DISPLAY_KIND_BACK: `Bring unsold goods back into the zone (display -> bonded), at most what the
form has on display (INSUFFICIENT_STOCK).`,
}

const displayMoveCommon = `

The goods are given with --line SEQ:QTY[:VALUE] (repeatable): the book line
(备案序号), the quantity in the line's declared unit and the value in CNY, to
the fen. --inner-no is the idempotency key: running the same command again
returns the movement; a different movement under a used number is refused
(DUPLICATE_DOCUMENT_NUMBER).

With --file, the movements come from a file instead, one MoveDisplay call each
in file order; the command's kind applies to each (a file naming another kind
is refused). --form sets the form of every movement. The whole file is
checked first; re-running it is safe.

JSON: MoveDisplayRequest objects in protojson form (one, an array or JSON
Lines); kind may be left out.

  {"inner_no": "DS-0001", "apply_no": "SQC310526X000000001", "date": "2026-03-05",
   "lines": [{"book_seq": 1, "quantity": "2", "value": "10000.00"}]}

CSV: a header, then one line per row; rows sharing inner_no are one movement
and must agree on apply_no and date. Columns: inner_no, book_seq, quantity
(required), apply_no, date, value.

  inner_no,apply_no,book_seq,quantity,value
  DS-0001,SQC310526X000000001,1,2,10000.00`

func (a *app) displayMoveCmd(kind customsv1.DisplayKind) *cobra.Command {
	verb := strings.ToLower(enumName(kind, "DISPLAY_KIND_"))
	req := &customsv1.MoveDisplayRequest{Kind: kind}
	flagOf := map[string]string{} // request fields to their flags
	var ff fileFlags
	short := map[customsv1.DisplayKind]string{
		customsv1.DisplayKind_DISPLAY_KIND_OUT:  "Take goods out of the zone for display (they stay bonded on the book)",
		customsv1.DisplayKind_DISPLAY_KIND_SALE: "Report goods sold on display: taxed, the tax covered by the guarantee",
		customsv1.DisplayKind_DISPLAY_KIND_BACK: "Bring unsold goods on display back into the zone",
	}[kind]
	example := map[customsv1.DisplayKind]string{
		customsv1.DisplayKind_DISPLAY_KIND_OUT:  `  zonectl customs display out --form SQC310526X000000001 --inner-no DO-0001 --line 1:6 --line 2:12.5`,
		customsv1.DisplayKind_DISPLAY_KIND_SALE: `  zonectl customs display sale --form SQC310526X000000001 --inner-no DS-0001 --line 1:2:10000.00`,
		customsv1.DisplayKind_DISPLAY_KIND_BACK: `  zonectl customs display back --form SQC310526X000000001 --inner-no DB-0001 --line 1:4
  zonectl customs display back --file back.csv --form SQC310526X000000001`,
	}[kind]
	c := &cobra.Command{
		Use:     verb + " --form FORM --inner-no N --line SEQ:QTY[:VALUE]... | --file FILE",
		Short:   short + " (safe to repeat)",
		Long:    displayMoveLong[kind] + displayMoveCommon,
		Example: example,
		Args:    exactArgs(0, "no arguments (the goods go in --line or --file)"),
		RunE: a.act(func(cmd *cobra.Command, _ []string) error {
			var docs []input.Doc[*customsv1.MoveDisplayRequest]
			if ff.file != "" {
				if req.GetInnerNo() != "" || len(req.GetLines()) > 0 || req.GetDate() != "" {
					return usagef("--file gives the movements; --inner-no, --line and --date are for one movement on the command line")
				}
				var err error
				docs, err = readFileFlag(a, &ff, func(r io.Reader, name string, format input.FileFormat) ([]input.Doc[*customsv1.MoveDisplayRequest], error) {
					return readDisplayMoves(r, name, format, kind, req.GetApplyNo())
				})
				if err != nil {
					return err
				}
			} else {
				if err := checkDisplayFlags(req, flagOf); err != nil {
					return err
				}
				docs = []input.Doc[*customsv1.MoveDisplayRequest]{{Req: req, Index: 1}}
			}
			if ff.dryRun {
				a.note("%d display movements, well-formed; nothing sent (--dry-run)", len(docs))
				return nil
			}
			p := newDocPrinter(a, len(docs), ff.quiet, displayMoveView.header, displayMoveView.rows, (*customsv1.DisplayMove).GetMoveNo)
			send := func(ctx context.Context, c *clients, req *customsv1.MoveDisplayRequest) (*customsv1.DisplayMove, error) {
				resp, err := c.display.MoveDisplay(ctx, req)
				return resp.GetMove(), err
			}
			if ff.file == "" {
				m, err := call(a, cmd.Context(), func(ctx context.Context, c *clients) (*customsv1.DisplayMove, error) {
					return send(ctx, c, docs[0].Req)
				})
				if err != nil {
					return err
				}
				return p.close(p.add(m))
			}
			return fileDocs(a, cmd.Context(), ff, "display movements", docs, (*customsv1.MoveDisplayRequest).GetInnerNo, send, p)
		}),
	}
	// The flags of one movement are the request's fields, as rpcCmd makes
	// them, but required only without --file.
	flags, _ := bindFields(req.ProtoReflect().Descriptor(), "form=apply_no inner-no=inner_no line=lines(book_seq:quantity:value) -kind")
	for _, b := range flags {
		help, required := strings.CutSuffix(fieldHelp(b), " (required)")
		if required {
			help += " (required without --file)"
		}
		c.Flags().Var(&fieldValue{req: req.ProtoReflect(), b: b}, b.name, help)
		docFlag(c, b.name, b)
		flagOf[pathName(b.path)] = "--" + b.name
	}
	c.Flags().StringVarP(&ff.file, "file", "f", "", "movements file (.json, .jsonl or .csv), - for standard input, instead of --inner-no and --line")
	c.Flags().StringVar(&ff.format, "format", "auto", "file format: auto (by extension, else the first character), json or csv")
	bind(c, flagSpec{&ff.dryRun, "dry-run", "only check the movements; send nothing (needs no token)"},
		flagSpec{&ff.noProgress, "no-progress", "never show the progress bar"})
	addQuiet(c, &ff.quiet, "movement")
	return c
}

// checkDisplayFlags refuses a movement given on the command line without
// its form, number or goods, or that the protos' rules or checkDisplayMove
// refuse: a usage error naming the flag.
func checkDisplayFlags(req *customsv1.MoveDisplayRequest, flagOf map[string]string) error {
	switch {
	case req.GetApplyNo() == "":
		return usagef("--form is required: the type-C business form the goods move under (or give --file)")
	case req.GetInnerNo() == "":
		return usagef("--inner-no is required: your own number of the movement, its idempotency key (or give --file)")
	case len(req.GetLines()) == 0:
		return usagef("give the goods with --line SEQ:QTY[:VALUE] (or give --file)")
	}
	if err := checkFlags(req, flagOf); err != nil {
		return err
	}
	if field, msg := checkDisplayMove(req); msg != "" { // the protos' rules hold: what is left is a line's
		return usagef("--line: %s: %s", field, msg)
	}
	return nil
}

var elementOf = regexp.MustCompile(`^lines\[([0-9]+)\]\.(.+)$`)

// lineIndex splits "lines[2].quantity" into 2 and "quantity".
func lineIndex(field string) (int, string, bool) {
	m := elementOf.FindStringSubmatch(field)
	if m == nil {
		return 0, "", false
	}
	i, err := strconv.Atoi(m[1])
	return i, m[2], err == nil
}

// checkDisplayMove checks what the protos cannot state of a movement
// (quantities above zero, a sale's price to the fen), then input.Validate
// (what they state), and returns the request field at fault and why, or ""
// when nothing is wrong.
func checkDisplayMove(r *customsv1.MoveDisplayRequest) (field, msg string) {
	sale := r.GetKind() == customsv1.DisplayKind_DISPLAY_KIND_SALE
	for i, l := range r.GetLines() {
		f := fmt.Sprintf("lines[%d]", i)
		if q, m := input.Decimal(l.GetQuantity()); m != "" {
			return f + ".quantity", m
		} else if !q.IsPositive() {
			return f + ".quantity", fmt.Sprintf("%q must be greater than zero", l.GetQuantity())
		}
		if l.GetValue() == "" {
			if sale {
				return f + ".value", "is required on a sale: the price in CNY, the dutiable value"
			}
			continue
		}
		v, m := input.Decimal(l.GetValue())
		switch {
		case m != "":
			return f + ".value", m
		case -v.Exponent() > 2:
			return f + ".value", fmt.Sprintf("%q has more than 2 decimal places; values are CNY to the fen", l.GetValue())
		case sale && !v.IsPositive():
			return f + ".value", "must be greater than zero on a sale: the price in CNY, the dutiable value"
		}
	}
	return input.Validate(r)
}

// readDisplayMoves reads display movements of kind from a JSON or CSV file;
// form, when given, is every movement's apply_no.
func readDisplayMoves(r io.Reader, name string, format input.FileFormat, kind customsv1.DisplayKind, form string) ([]input.Doc[*customsv1.MoveDisplayRequest], error) {
	docs, err := input.ReadDisplayMoves(r, name, format)
	if err != nil {
		return nil, err
	}
	seen := map[string]string{}
	for _, d := range docs {
		if first, dup := seen[d.Req.GetInnerNo()]; dup && !d.CSV {
			return nil, d.Error(name, "inner_no", fmt.Sprintf("%q already appears on %s; each movement appears once in a file", d.Req.GetInnerNo(), first))
		}
		seen[d.Req.GetInnerNo()] = d.Source()
		if d.Req.GetKind() != customsv1.DisplayKind_DISPLAY_KIND_UNSPECIFIED && d.Req.GetKind() != kind {
			return nil, d.Error(name, "kind", fmt.Sprintf("is %s, but this command files %s movements", enumName(d.Req.GetKind(), "DISPLAY_KIND_"), enumName(kind, "DISPLAY_KIND_")))
		}
		d.Req.Kind = kind
		if form != "" {
			d.Req.ApplyNo = form
		}
		if field, msg := checkDisplayMove(d.Req); msg != "" {
			if field == "apply_no" {
				msg += " (in the file or with --form)"
			}
			return nil, d.Error(name, field, msg)
		}
	}
	return docs, nil
}

// Tax payments and status.

func (a *app) displayPayCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "pay", method: customsv1.DisplayService_PayDisplayTax_FullMethodName,
		short: "Record a collective payment of a type-C form's display-trading tax (customs)",
		more: `After a timeout or an UNAVAILABLE server, run the same command again (same
--payment-no): the payment is recorded once.`,
		example: "  zonectl customs display pay SQC310526X000000001 1300.00 --payment-no 310520261000012345",
		bind:    "FORM=apply_no AMOUNT=amount",
		check: func(req proto.Message, _ []string) error {
			amount := req.(*customsv1.PayDisplayTaxRequest).GetAmount()
			if d, _ := input.Decimal(amount); !d.IsPositive() || -d.Exponent() > 2 {
				return usagef("AMOUNT %q: write an amount > 0 in CNY, to the fen", amount)
			}
			return nil
		}}, cols[*customsv1.PayDisplayTaxResponse]("form_no=form.form_no", "book_no=form.book_no", "guarantee=form.guarantee",
		"tax_assessed=form.tax_assessed", "tax_paid=form.tax_paid", "available"))
}

// displayStatusView is a form's display status flattened to one row per
// book line on display.
var displayStatusView = flat[*customsv1.GetDisplayStatusResponse]([]string{"form_no=form.form_no", "book_no=form.book_no",
	"valid_from=form.valid_from", "valid_until=form.valid_until", "guarantee", "tax_assessed", "tax_paid", "available", "overdue"},
	"on_display", "book_seq?", "on_display=quantity")

func (a *app) displayStatusCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "status", method: customsv1.DisplayService_GetDisplayStatus_FullMethodName,
		short: "Show a type-C form's guarantee, tax and goods on display (one row per book line)",
		more: `Table and CSV print one row per book line on display (one row with empty
book_seq and on_display when nothing is out); -o json prints the whole
GetDisplayStatusResponse.`,
		example: `  zonectl customs display status SQC310526X000000001
  zonectl customs display status SQC310526X000000001 --as-of 2026-04-01 -o json`,
		bind: "FORM=apply_no"}, displayStatusView)
}

func (a *app) displayOverdueCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "overdue", method: customsv1.DisplayService_ListOverdueDisplays_FullMethodName,
		short: "List the type-C forms whose goods are still on display after the form's last day",
		more: `One row per book line on display, as 'display status' prints; -o json
prints each form's status.`,
		example: `  zonectl customs display overdue
  zonectl customs display overdue --book H31050000001 --as-of 2026-06-30`,
		check: func(req proto.Message, _ []string) error { // the protos' rule is only max_len
			if d := req.(*customsv1.ListOverdueDisplaysRequest).GetAsOf(); d != "" && !isoDate.MatchString(d) {
				return usagef("--as-of %q: write YYYY-MM-DD", d)
			}
			return nil
		}}, displayStatusView)
}
