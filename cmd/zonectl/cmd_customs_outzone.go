package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/zoneledger/zoneledger/cmd/zonectl/internal/input"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// Goods out of the zone and back (OutZoneService), under business forms of
// type B, D, E, F and H filed with 'zonectl customs form create', and the
// zone's one overdue listing ('zonectl customs overdue').

func (a *app) outzoneCmd() *cobra.Command {
	c := group("outzone", "Goods out of the zone and back under forms B, D, E, F, H: out, back, convert to a sale; close a form",
		a.outzoneMoveCmd(customsv1.OutZoneKind_OUT_ZONE_KIND_OUT), a.outzoneMoveCmd(customsv1.OutZoneKind_OUT_ZONE_KIND_BACK),
		a.outzoneMoveCmd(customsv1.OutZoneKind_OUT_ZONE_KIND_CONVERT), a.outzoneGetCmd(), a.outzoneCloseCmd())
	c.Long = `Zone goods temporarily out of the zone under a business form (业务申报表) filed
with 'zonectl customs form create --type T': B 外发加工 (to a domestic
contractor, back as products and scrap), D 设备检测 (testing outside), E 设备维修
(repair outside), F 模具外发 (moulds out), H 其他业务 (other temporary out).

  out      goods leave the zone with their due-back date (the contract's end)
           and the counterparty; they stay on the book, bonded (the stock
           report's out_zone)
  back     goods of an OUT movement come back, in full or in parts; under a
           B form also finished products and scrap (--product) and the goods
           the processing consumed (--consumed)
  convert  goods of an OUT movement that are out are sold in the domestic
           area on request, taxed like any domestic sale
  get      one movement, with what an OUT movement still has out
  close    close a form (结案); refused while goods are out under it

Goods past their due-back date show in 'zonectl customs overdue'. out, back and
convert are filed under the enterprise's own number (--inner-no), their
idempotency key: running the same command again returns the movement booked
the first time.`
	return c
}

var outzoneMoveHeader = []string{"move_no", "inner_no", "book_no", "apply_no", "form_type", "kind", "date", "due_back", "counterparty",
	"out_no", "lines", "outstanding", "tax", "status", "journal_id"}

func outzoneMoveRow(m *customsv1.OutZoneMove) []string {
	var out []string
	for _, l := range m.GetOutstanding() {
		out = append(out, seq(l.GetBookSeq())+":"+l.GetQuantity())
	}
	return []string{m.GetMoveNo(), m.GetInnerNo(), m.GetBookNo(), m.GetApplyNo(), m.GetFormType(), enumName(m.GetKind(), "OUT_ZONE_KIND_"),
		m.GetDate(), m.GetDueBack(), m.GetCounterparty(), m.GetOutNo(), strconv.Itoa(len(m.GetLines()) + len(m.GetProducts()) + len(m.GetConsumed())),
		strings.Join(out, " "), m.GetTax(), m.GetStatus(), id(m.GetJournalId())}
}

var outzoneMoveLong = map[customsv1.OutZoneKind]string{
	customsv1.OutZoneKind_OUT_ZONE_KIND_OUT: `Take zone goods out of the zone under a form of type B, D, E, F or H
(bonded -> out-zone). They stay on the book, bonded. --due-back is the day they
are due back, the contract's end: not in the past, not after the form's last
day, and at most the zone's zone.out_zone_max_days after the goods go out when
the zone sets one (OUT_ZONE_DUE_DATE). --counterparty names who holds them
outside. The business date must be within the form's period (FORM_PERIOD).`,
	customsv1.OutZoneKind_OUT_ZONE_KIND_BACK: `Bring goods of an OUT movement (--out-no) back into the zone (out-zone ->
bonded), in full or in parts: --line SEQ:QTY. Under a 外发加工 (B) form the
contractor's work comes back too: --product SEQ:QTY[:scrap] for finished
products and scrap (边角料) in, --consumed SEQ:QTY for the goods sent out that
the processing used up. Per book line at most what the OUT movement still has
out (OUT_ZONE_EXCEEDS_SENT); a line that did not go out on it is
OUT_ZONE_NOT_OUT.`,
	customsv1.OutZoneKind_OUT_ZONE_KIND_CONVERT: `Convert goods of an OUT movement (--out-no) that are out to a domestic sale
(out-zone -> domestic): every --line SEQ:QTY:VALUE states its price in CNY,
the dutiable value, and the lines are taxed together by the tax engine as one
consignment, like any domestic sale. At most what the OUT movement still has
out (OUT_ZONE_EXCEEDS_SENT).`,
}

func (a *app) outzoneMoveCmd(kind customsv1.OutZoneKind) *cobra.Command {
	req := &customsv1.MoveOutZoneRequest{Kind: kind}
	var lines, products, consumed []string
	use := map[customsv1.OutZoneKind]string{
		customsv1.OutZoneKind_OUT_ZONE_KIND_OUT:     "out --form FORM --inner-no N --due-back DATE --counterparty WHO --line SEQ:QTY...",
		customsv1.OutZoneKind_OUT_ZONE_KIND_BACK:    "back --form FORM --inner-no N --out-no MOVE [--line SEQ:QTY]... [--product SEQ:QTY[:scrap]]... [--consumed SEQ:QTY]...",
		customsv1.OutZoneKind_OUT_ZONE_KIND_CONVERT: "convert --form FORM --inner-no N --out-no MOVE --line SEQ:QTY:VALUE...",
	}[kind]
	short := map[customsv1.OutZoneKind]string{
		customsv1.OutZoneKind_OUT_ZONE_KIND_OUT:     "Take goods out of the zone with a due-back date (they stay bonded on the book)",
		customsv1.OutZoneKind_OUT_ZONE_KIND_BACK:    "Bring goods of an OUT movement back (外发加工: with products, scrap, consumption)",
		customsv1.OutZoneKind_OUT_ZONE_KIND_CONVERT: "Convert goods that are out to a domestic sale, taxed",
	}[kind]
	example := map[customsv1.OutZoneKind]string{
		customsv1.OutZoneKind_OUT_ZONE_KIND_OUT: `  zonectl customs outzone out --form SQF310526X000000001 --inner-no WF-0001 --due-back 2026-04-30 \
      --counterparty "Kunshan Mould Works" --contract HT-2026-07 --line 3:1`,
		customsv1.OutZoneKind_OUT_ZONE_KIND_BACK: `  zonectl customs outzone back --form SQF310526X000000001 --inner-no WB-0001 --out-no WF3105260000000001 --line 3:1
  zonectl customs outzone back --form SQB310526X000000002 --inner-no WB-0002 --out-no WF3105260000000002 \
      --line 2:15 --consumed 2:80 --product 3:500 --product 4:4.5:scrap`,
		customsv1.OutZoneKind_OUT_ZONE_KIND_CONVERT: `  zonectl customs outzone convert --form SQE310526X000000003 --inner-no WC-0001 --out-no WF3105260000000003 --line 1:2:10000.00`,
	}[kind]
	c := &cobra.Command{
		Use:     use,
		Short:   short + " (safe to repeat)",
		Long:    outzoneMoveLong[kind] + "\n\n--inner-no is the idempotency key: running the same command again returns the\nmovement; a different movement under a used number is refused\n(DUPLICATE_DOCUMENT_NUMBER).",
		Example: example,
		Args:    exactArgs(0, "no arguments (the goods go in --line)"),
		RunE: a.act(func(cmd *cobra.Command, _ []string) error {
			switch {
			case req.ApplyNo == "":
				return usagef("--form is required: the business form the goods move under")
			case req.InnerNo == "":
				return usagef("--inner-no is required: your own number of the movement, its idempotency key")
			case kind != customsv1.OutZoneKind_OUT_ZONE_KIND_OUT && req.OutNo == "":
				return usagef("--out-no is required: the OUT movement the goods went out on")
			case kind == customsv1.OutZoneKind_OUT_ZONE_KIND_OUT && (req.DueBack == "" || req.Counterparty == ""):
				return usagef("--due-back and --counterparty are required: when the goods are due back, and who holds them")
			}
			for _, d := range []string{req.Date, req.DueBack} {
				if d != "" && !isoDate.MatchString(d) {
					return usagef("%q: write dates as YYYY-MM-DD", d)
				}
			}
			var err error
			if req.Lines, err = outzoneLines("line", lines, kind == customsv1.OutZoneKind_OUT_ZONE_KIND_CONVERT); err != nil {
				return err
			}
			if req.Products, err = outzoneLines("product", products, false); err != nil {
				return err
			}
			if req.Consumed, err = outzoneLines("consumed", consumed, false); err != nil {
				return err
			}
			if len(req.Lines)+len(req.Products)+len(req.Consumed) == 0 {
				return usagef("give the goods with --line SEQ:QTY")
			}
			if field, msg := input.Validate(req); msg != "" {
				return usagef("%s: %s", field, msg)
			}
			return sendShow(a, cmd, rowView(outzoneMoveHeader, outzoneMoveRow), customsv1.OutZoneServiceClient.MoveOutZone, req)
		}),
	}
	bind(c, flagSpec{&req.ApplyNo, "form", "the business form (apply_no) of type B, D, E, F or H (required)"},
		flagSpec{&req.InnerNo, "inner-no", "the enterprise's own number: the idempotency key (required)"},
		flagSpec{&req.Date, "date", "business date, YYYY-MM-DD, not in the future (default: today)"})
	valueHelp := "SEQ:QTY, book line and quantity in its declared unit"
	switch kind {
	case customsv1.OutZoneKind_OUT_ZONE_KIND_OUT:
		bind(c, flagSpec{&req.DueBack, "due-back", "the day the goods are due back, YYYY-MM-DD: the contract's end (required)"},
			flagSpec{&req.Counterparty, "counterparty", "who holds the goods outside: the testing or repair firm, the contractor (required)"},
			flagSpec{&req.Contract, "contract", "the contract's number"})
	case customsv1.OutZoneKind_OUT_ZONE_KIND_BACK:
		bind(c, flagSpec{&req.OutNo, "out-no", "the OUT movement the goods went out on (required)"})
		c.Flags().StringArrayVar(&products, "product", nil, "外发加工: SEQ:QTY[:scrap], finished products (or scrap) coming back (repeatable)")
		c.Flags().StringArrayVar(&consumed, "consumed", nil, "外发加工: SEQ:QTY, goods sent out that the processing consumed (repeatable)")
	case customsv1.OutZoneKind_OUT_ZONE_KIND_CONVERT:
		bind(c, flagSpec{&req.OutNo, "out-no", "the OUT movement the goods went out on (required)"})
		valueHelp = "SEQ:QTY:VALUE, book line, quantity and the price in CNY"
	}
	c.Flags().StringArrayVar(&lines, "line", nil, "goods: "+valueHelp+" (repeatable)")
	return c
}

// outzoneLines parses SEQ:QTY[:VALUE|:scrap] flags; withValue requires the
// value.
func outzoneLines(flag string, ss []string, withValue bool) ([]*customsv1.OutZoneLine, error) {
	var out []*customsv1.OutZoneLine
	for _, s := range ss {
		l, err := parseOutzoneLine(s, flag == "product", withValue)
		if err != nil {
			return nil, usagef("--%s %q: %v", flag, s, err)
		}
		out = append(out, l)
	}
	return out, nil
}

func parseOutzoneLine(s string, product, withValue bool) (*customsv1.OutZoneLine, error) {
	parts := strings.Split(strings.TrimSpace(s), ":")
	want := "SEQ:QTY, e.g. 3:1"
	switch {
	case withValue:
		want = "SEQ:QTY:VALUE, e.g. 1:2:10000.00"
	case product:
		want = "SEQ:QTY or SEQ:QTY:scrap, e.g. 4:4.5:scrap"
	}
	n := 2
	if withValue {
		n = 3
	}
	if len(parts) != n && !(product && len(parts) == 3) {
		return nil, errors.New("write " + want)
	}
	sq, err := strconv.ParseInt(parts[0], 10, 32)
	if err != nil || sq < 1 {
		return nil, fmt.Errorf("%q is not a book line number (备案序号); write a whole number from 1", parts[0])
	}
	if q, msg := input.Decimal(parts[1]); msg != "" {
		return nil, errors.New(msg)
	} else if !q.IsPositive() {
		return nil, fmt.Errorf("%q must be greater than zero", parts[1])
	}
	l := &customsv1.OutZoneLine{BookSeq: int32(sq), Quantity: parts[1]}
	switch {
	case withValue:
		v, msg := input.Decimal(parts[2])
		if msg != "" || !v.IsPositive() || -v.Exponent() > 2 {
			return nil, fmt.Errorf("%q: the price is CNY > 0, to the fen", parts[2])
		}
		l.Value = parts[2]
	case product && len(parts) == 3:
		if parts[2] != "scrap" {
			return nil, errors.New("write " + want)
		}
		l.Scrap = true
	}
	return l, nil
}

func (a *app) outzoneGetCmd() *cobra.Command {
	req := &customsv1.GetOutZoneMoveRequest{}
	return &cobra.Command{
		Use:     "get MOVE",
		Short:   "Show an out-of-zone movement, with what an OUT movement still has out",
		Example: "  zonectl customs outzone get WF3105260000000001 -o json",
		Args:    exactArgs(1, "MOVE"),
		RunE:    runShow(a, rowView(outzoneMoveHeader, outzoneMoveRow), sendArg(customsv1.OutZoneServiceClient.GetOutZoneMove, req, &req.MoveNo)),
	}
}

func (a *app) outzoneCloseCmd() *cobra.Command {
	req := &customsv1.CloseFormRequest{}
	return &cobra.Command{
		Use:   "close FORM",
		Short: "Close a business form (结案); refused while goods are out under it",
		Long: `Close a business form (结案, 申报类型 3): nothing moves under it afterwards
(FORM_CLOSED). A form with goods still out of the zone or on display under it
is refused (FORM_GOODS_OUT): bring them back or convert them first. Closing a
closed form again returns it.`,
		Example: "  zonectl customs outzone close SQF310526X000000001",
		Args:    exactArgs(1, "FORM"),
		RunE:    runShow(a, closeFormView, sendArg(customsv1.OutZoneServiceClient.CloseForm, req, &req.ApplyNo)),
	}
}

// The one overdue listing.

// closeFormView prints a closed form.
var closeFormView = cols[*customsv1.CloseFormResponse]("form.form_no", "form.book_no", "form.form_type", "form.status")

var overdueView = cols[*customsv1.OverdueItem]("due", "days_overdue", "kind", "enterprise", "book_no", "documents/ ", "quantity", "note")

func (a *app) overdueCmd() *cobra.Command {
	var asOf, book string
	return leaf(&cobra.Command{
		Use:   "overdue",
		Short: "List every kind of goods past its date (customs' one overdue listing), oldest first",
		Long: `List every kind of goods past its date on the books you may read (customs:
every book; an enterprise: its own), as of --as-of (default today), oldest
due date first, all pages:

  DISPLAY          goods on display (form C) after the form's last day
  TESTING          goods out for testing (form D) after their due-back date
  REPAIR_OUTSIDE   goods out for repair (form E) after their due-back date
  MOULD            moulds out (form F) after their due-back date
  OTHER_OUT        goods out for other business (form H) after their due-back date
  OUTSOURCING      goods out for 外发加工 (form B) after their due-back date
  REPAIR_ORDER     repair orders open in the zone after their period
  COLLECTIVE_TRIP  分送集报 trips not declared by their deadline
  ENTER_FIRST      先入区后报关 goods not declared within zone.enter_first_declare_days

documents names the document to act on first, then its form, pass or list.`,
		Example: `  zonectl customs overdue
  zonectl customs overdue --book H31050000001 --as-of 2026-06-30 -o csv`,
		RunE: a.act(func(cmd *cobra.Command, _ []string) error {
			return sendShowPages(a, cmd, overdueView, customsv1.OutZoneServiceClient.ListOverdue,
				&customsv1.ListOverdueRequest{BookNo: book, AsOf: asOf})
		}),
	}, flagSpec{ymd(&asOf), "as-of", "list what is overdue as of this business date, YYYY-MM-DD (default: today)"},
		flagSpec{&book, "book", "only this book"})
}
