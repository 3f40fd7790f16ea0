package main

import (
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"google.golang.org/protobuf/proto"

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

// outzoneMoves are the out, back and convert commands: one MoveOutZone
// each, of its kind (kind:=...), with the flags of that kind.
var outzoneMoves = map[customsv1.OutZoneKind]rpcSpec{
	customsv1.OutZoneKind_OUT_ZONE_KIND_OUT: {use: "out", short: "Take goods out of the zone with a due-back date (they stay bonded on the book)",
		more: `This command books OUT.`,
		example: `  zonectl customs outzone out --form SQF310526X000000001 --inner-no WF-0001 --due-back 2026-04-30 \
      --counterparty "Kunshan Mould Works" --contract HT-2026-07 --line 3:1`,
		bind: "kind:=out due-back=due_back! counterparty=counterparty! line=lines(book_seq:quantity)! -out_no -products -consumed"},
	customsv1.OutZoneKind_OUT_ZONE_KIND_BACK: {use: "back", short: "Bring goods of an OUT movement back (外发加工: with products, scrap, consumption)",
		more: `This command books BACK: the goods of --out-no, in full or in parts
(--line); under a B form also --product and --consumed.`,
		example: `  zonectl customs outzone back --form SQF310526X000000001 --inner-no WB-0001 --out-no WF3105260000000001 --line 3:1
  zonectl customs outzone back --form SQB310526X000000002 --inner-no WB-0002 --out-no WF3105260000000002 \
      --line 2:15 --consumed 2:80 --product 3:500 --product 4:4.5:scrap`,
		bind: "kind:=back out-no=out_no! line=lines(book_seq:quantity) product=products(book_seq:quantity:scrap) consumed=consumed(book_seq:quantity) -due_back -counterparty -contract"},
	customsv1.OutZoneKind_OUT_ZONE_KIND_CONVERT: {use: "convert", short: "Convert goods that are out to a domestic sale, taxed",
		more: `This command books CONVERT: the goods of --out-no, each --line with its
price in CNY.`,
		example: `  zonectl customs outzone convert --form SQE310526X000000003 --inner-no WC-0001 --out-no WF3105260000000003 --line 1:2:10000.00`,
		bind:    "kind:=convert out-no=out_no! line=lines(book_seq:quantity:value)! -due_back -counterparty -contract -products -consumed"},
}

func (a *app) outzoneMoveCmd(kind customsv1.OutZoneKind) *cobra.Command {
	s := outzoneMoves[kind]
	s.method, s.short, s.check = customsv1.OutZoneService_MoveOutZone_FullMethodName, s.short+" (safe to repeat)", checkOutzoneGoods
	s.bind = "form=apply_no inner-no=inner_no " + s.bind
	return rpcCmd(a, s, rowView(outzoneMoveHeader, outzoneMoveRow))
}

// checkOutzoneGoods refuses a movement without goods, a quantity that is
// not above zero, and a CONVERT line without its price in CNY > 0, to the
// fen: what the protos' rules do not say.
func checkOutzoneGoods(m proto.Message, _ []string) error {
	r := m.(*customsv1.MoveOutZoneRequest)
	if len(r.GetLines())+len(r.GetProducts())+len(r.GetConsumed()) == 0 {
		return usagef("give the goods with --line SEQ:QTY")
	}
	for _, g := range []struct {
		flag  string
		lines []*customsv1.OutZoneLine
	}{{"line", r.GetLines()}, {"product", r.GetProducts()}, {"consumed", r.GetConsumed()}} {
		for i, l := range g.lines {
			if q, _ := input.Decimal(l.GetQuantity()); !q.IsPositive() {
				return usagef("--%s #%d: quantity %q must be greater than zero", g.flag, i+1, l.GetQuantity())
			}
			if v, _ := input.Decimal(l.GetValue()); r.GetKind() == customsv1.OutZoneKind_OUT_ZONE_KIND_CONVERT && (!v.IsPositive() || -v.Exponent() > 2) {
				return usagef("--%s #%d: the price %q is CNY > 0, to the fen", g.flag, i+1, l.GetValue())
			}
		}
	}
	return nil
}

func (a *app) outzoneGetCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "get", method: customsv1.OutZoneService_GetOutZoneMove_FullMethodName,
		short:   "Show an out-of-zone movement, with what an OUT movement still has out",
		example: "  zonectl customs outzone get WF3105260000000001 -o json", bind: "MOVE=move_no"},
		rowView(outzoneMoveHeader, outzoneMoveRow))
}

func (a *app) outzoneCloseCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "close", method: customsv1.OutZoneService_CloseForm_FullMethodName,
		short:   "Close a business form (结案); refused while goods are out under it",
		example: "  zonectl customs outzone close SQF310526X000000001", bind: "FORM=apply_no"},
		cols[*customsv1.CloseFormResponse]("form.form_no", "form.book_no", "form.form_type", "form.status"))
}

// The one overdue listing.

func (a *app) overdueCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "overdue", method: customsv1.OutZoneService_ListOverdue_FullMethodName,
		short: "List every kind of goods past its date (customs' one overdue listing), oldest first",
		more: `zonectl reads every page. The kind column:

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
		example: `  zonectl customs overdue
  zonectl customs overdue --book H31050000001 --as-of 2026-06-30 -o csv`},
		cols[*customsv1.OverdueItem]("due", "days_overdue", "kind", "enterprise", "book_no", "documents/ ", "quantity", "note"))
}
