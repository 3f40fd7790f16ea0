package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// The processing centre (加工制造中心): ProcessingService — unit consumption
// versions (单耗版本) and production reports.

func (a *app) processingCmd() *cobra.Command {
	c := group("processing", "Processing (加工制造): unit consumption versions (单耗) and production reports",
		group("version", "File, declare and show unit consumption versions (单耗版本) of a good",
			a.procVersionPutCmd(), a.procVersionDeclareCmd(), a.procVersionGetCmd(), a.procVersionListCmd()),
		group("report", "File and show production reports", a.procReportFileCmd(), a.procReportGetCmd(), a.procReportListCmd()),
		group("destruction", "Ask for, approve, reject and show destructions (销毁) of goods",
			a.procDestroyRequestCmd(), a.procDestroyDecideCmd(true), a.procDestroyDecideCmd(false), a.procDestroyGetCmd()),
		group("entrust", "委托加工 for a domestic firm: file, receive its materials, return its products",
			a.procEntrustFileCmd(), a.procEntrustGetCmd(), a.procEntrustMoveCmd(true), a.procEntrustMoveCmd(false), a.procEntrustMoveGetCmd()),
		a.procGeneralTaxpayerCmd())
	c.Long = `The processing centre (加工制造中心) of a zone book:

  version  a good's unit consumption version (单耗版本): per material line its
           net consumption (净耗), process loss rate (工艺损耗率, percent) and
           bonded share (保税料件比例, percent); 单耗 = 净耗 / (1 − 工艺损耗率).
           A later version supersedes the earlier from its effective date; a
           version a report used is locked (VERSION_LOCKED): supersede it.
  report   a production report: the goods made, consuming materials by the
           versions in force (default) or by the actual quantities used
           (--actual), booked in one journal; the goods form new lots
           produced in the zone; scrap, defects and by-products are outputs
           of their own category.
  destruction  the enterprise asks to destroy goods (销毁); customs approves
           (the goods leave the book) or rejects.
  entrust  委托加工 for a domestic firm: its materials held apart in a bucket
           of the entrustment, reports for it (report file --entrustment),
           products back under a gate registration, the fee taxed.
  general-taxpayer  customs records a book's enterprise as 一纳 (VAT
           general-taxpayer pilot): it may sell on 清单类型 9 lists, the bonded
           part taxed with 缓税利息, the non-bonded part untaxed.

The book's owner enterprise files; customs reads every book and decides
destructions.`
	return c
}

// procVersionView prints a version, one row per material.
var procVersionView = flat[*customsv1.Version]([]string{"book_no", "good=finished_seq", "version", "effective=effective_date", "status"}, "norms",
	"material=material_seq", "net", "loss_%=loss_percent", "bonded_%=bonded_percent", "单耗=unit_consumption", "exact=unit_consumption_exact",
	"^used_by", "^superseded_by")

func (a *app) procVersionPutCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "put", method: customsv1.ProcessingService_PutVersion_FullMethodName,
		short: "File a unit consumption version of a good, or change one no report used (safe to repeat)",
		example: `  zonectl customs processing version put --book H31050000001 --good 4 --version 1 \
      --effective 2026-11-01 --norm 1:0.95:5 --norm 2:2.0:20`,
		bind: "good=finished_seq effective=effective_date norm=norms(material_seq:net!:loss_percent:bonded_percent)"}, procVersionView)
}

func (a *app) procVersionDeclareCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "declare", method: customsv1.ProcessingService_DeclareVersion_FullMethodName,
		short:   "Declare a version to customs (单耗申报): DRAFT becomes DECLARED (safe to repeat)",
		example: `  zonectl customs processing version declare --book H31050000001 --good 4 --version 1`,
		bind:    "good=finished_seq"}, procVersionView)
}

func (a *app) procVersionGetCmd() *cobra.Command {
	c := rpcCmd(a, rpcSpec{use: "get", method: customsv1.ProcessingService_GetVersion_FullMethodName,
		short: "Show a version of a good, or the one in force on a day (one row per material)",
		example: `  zonectl customs processing version get --book H31050000001 --good 4 --version 1
  zonectl customs processing version get --book H31050000001 --good 4 --date 2026-11-20`,
		bind: "good=finished_seq"}, procVersionView)
	c.MarkFlagsMutuallyExclusive("version", "date")
	return c
}

func (a *app) procVersionListCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "list", method: customsv1.ProcessingService_ListVersions_FullMethodName,
		short:   "List a book's versions by good and effective date (one row per material)",
		example: `  zonectl customs processing version list --book H31050000001 --good 4`,
		bind:    "good=finished_seq"}, procVersionView)
}

var procReportHeader = []string{"report_no", "inner_no", "book_no", "date", "basis", "kind", "line", "quantity", "bonded", "non_bonded", "loss", "version", "lot", "category"}

// procReportRows prints a report as one row per good made and one per
// material consumed.
func procReportRows(r *customsv1.ProductionReport) [][]string {
	head := []string{r.GetReportNo(), r.GetInnerNo(), r.GetBookNo(), r.GetDate(), enumName(r.GetBasis(), "CONSUMPTION_BASIS_")}
	var rows [][]string
	for _, o := range r.GetOutputs() {
		rows = append(rows, append(append([]string{}, head...), "made", strconv.Itoa(int(o.GetBookSeq())), o.GetQuantity(), "", "", "", o.GetVersion(), o.GetLot(),
			enumName(o.GetCategory(), "PRODUCTION_CATEGORY_")))
	}
	for _, c := range r.GetConsumed() {
		var lots []string
		for _, l := range c.GetLots() {
			lots = append(lots, l.GetLot()+"="+l.GetQuantity())
		}
		rows = append(rows, append(append([]string{}, head...), "consumed", strconv.Itoa(int(c.GetBookSeq())), "", c.GetBonded(), c.GetNonBonded(), c.GetLoss(), "", strings.Join(lots, " "), ""))
	}
	return rows
}

// procReportView prints a report, one row per good made and per material
// consumed.
var procReportView = view[*customsv1.ProductionReport]{procReportHeader, procReportRows}

func (a *app) procReportFileCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "file", method: customsv1.ProcessingService_FileProductionReport_FullMethodName,
		short: "File a production report: goods made, materials consumed (safe to repeat)",
		more: `With --actual the report consumes the quantities given (basis ACTUAL); a
--material naming a lot consumes from that lot.`,
		example: `  zonectl customs processing report file --book H31050000001 --inner-no SC-0001 --made 4:1000
  zonectl customs processing report file --book H31050000001 --inner-no SC-0002 --made 4:10 --actual 1:10.5:0.5`,
		bind: "inner-no=inner_no entrustment=entrustment_no made=outputs(book_seq:quantity!:value:version:category) " +
			"material=materials(book_seq:lot!) actual=materials(book_seq:quantity!:loss:lot)+basis=actual"}, procReportView)
}

func (a *app) procReportGetCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "get", method: customsv1.ProcessingService_GetProductionReport_FullMethodName,
		short:   "Show a production report (one row per good made and per material consumed)",
		example: `  zonectl customs processing report get SCH310500000012600000001`,
		bind:    "REPORT=report_no"}, procReportView)
}

func (a *app) procReportListCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "list", method: customsv1.ProcessingService_ListProductionReports_FullMethodName,
		short:   "List a book's production reports in number order",
		example: `  zonectl customs processing report list --book H31050000001 -o csv`}, procReportView)
}

// procDestroyView prints a destruction, one row per line.
var procDestroyView = flat[*customsv1.Destruction]([]string{"destruction_no", "inner_no", "book_no", "date", "status"}, "lines",
	"line=book_seq", "quantity", "lots/ ", "^reason")

func (a *app) procDestroyRequestCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "request", method: customsv1.ProcessingService_RequestDestruction_FullMethodName,
		short: "Ask customs to approve the destruction (销毁) of goods; nothing moves until it does (safe to repeat)",
		example: `  zonectl customs processing destruction request --book H31050000001 --inner-no XH-0001 \
      --reason "scrap of no value" --line 5:0.5`,
		bind: "inner-no=inner_no line=lines(book_seq:quantity!:lot)"}, procDestroyView)
}

func (a *app) procDestroyDecideCmd(approve bool) *cobra.Command {
	verb, short, method := "reject", "Reject a requested destruction; nothing moves (customs)", customsv1.ProcessingService_RejectDestruction_FullMethodName
	if approve {
		verb, short, method = "approve", "Approve a requested destruction: the goods leave the book (customs)", customsv1.ProcessingService_ApproveDestruction_FullMethodName
	}
	return rpcCmd(a, rpcSpec{use: verb, method: method, short: short,
		example: "  zonectl customs processing destruction " + verb + " XHH310500000012600000001 --note witnessed",
		bind:    "DESTRUCTION=destruction_no"}, procDestroyView)
}

func (a *app) procDestroyGetCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "get", method: customsv1.ProcessingService_GetDestruction_FullMethodName,
		short:   "Show a destruction (one row per line)",
		example: "  zonectl customs processing destruction get XHH310500000012600000001",
		bind:    "DESTRUCTION=destruction_no"}, procDestroyView)
}

// 委托加工 (processing for a domestic firm) and 一纳 books.

var procEntrustHeader = []string{"entrustment_no", "inner_no", "book_no", "client", "client_name", "date", "bonded_value", "bonded_taxed", "reports", "held"}

func procEntrustRows(e *customsv1.Entrustment) [][]string {
	var held []string
	for _, h := range e.GetHeld() {
		held = append(held, fmt.Sprintf("%d=%s", h.GetBookSeq(), h.GetQuantity()))
	}
	return [][]string{{e.GetEntrustmentNo(), e.GetInnerNo(), e.GetBookNo(), e.GetClient(), e.GetClientName(), e.GetDate(), e.GetBondedValue(), e.GetBondedTaxed(),
		strings.Join(e.GetReportNos(), " "), strings.Join(held, " ")}}
}

// procEntrustView prints an entrustment in one row.
var procEntrustView = view[*customsv1.Entrustment]{procEntrustHeader, procEntrustRows}

func (a *app) procEntrustFileCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "file", method: customsv1.ProcessingService_FileEntrustment_FullMethodName,
		short:   "File a 委托加工 contract with a domestic firm (safe to repeat)",
		example: `  zonectl customs processing entrust file --book H31050000001 --inner-no WT-0001 --client 91320000MA1K000097 --client-name "苏州某电子有限公司"`,
		bind:    "inner-no=inner_no"}, procEntrustView)
}

func (a *app) procEntrustGetCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "get", method: customsv1.ProcessingService_GetEntrustment_FullMethodName,
		short:   "Show an entrustment with the bonded materials its reports consumed and the part taxed",
		example: "  zonectl customs processing entrust get WTH310500000012600000001",
		bind:    "ENTRUSTMENT=entrustment_no"}, procEntrustView)
}

var procMoveHeader = []string{"move_no", "kind", "entrustment_no", "book_no", "date", "via", "reference", "line", "quantity", "value", "bonded_value", "lots", "events"}

func procMoveRows(m *customsv1.EntrustedMove) [][]string {
	var rows [][]string
	for i, l := range m.GetLines() {
		var lots []string
		for _, q := range l.GetLots() {
			lots = append(lots, q.GetLot()+"="+q.GetQuantity())
		}
		ev := ""
		if i < len(m.GetEventIds()) {
			ev = strconv.FormatInt(m.GetEventIds()[i], 10)
		}
		rows = append(rows, []string{m.GetMoveNo(), m.GetKind(), m.GetEntrustmentNo(), m.GetBookNo(), m.GetDate(), enumName(m.GetVia(), "ENTRUSTED_VIA_"),
			m.GetReference(), strconv.Itoa(int(l.GetBookSeq())), l.GetQuantity(), l.GetValue(), l.GetBondedValue(), strings.Join(lots, " "), ev})
	}
	return rows
}

// procMoveView prints a receipt or return, one row per line.
var procMoveView = view[*customsv1.EntrustedMove]{procMoveHeader, procMoveRows}

// procEntrustMoveCmd is "entrust receive" (receive) or "entrust return".
func (a *app) procEntrustMoveCmd(receive bool) *cobra.Command {
	if !receive {
		return rpcCmd(a, rpcSpec{use: "return", method: customsv1.ProcessingService_ReturnEntrusted_FullMethodName,
			short:   "Take products back to the domestic firm under a gate registration; each line taxed on its fee (safe to repeat)",
			example: "  zonectl customs processing entrust return --entrustment WTH310500000012600000001 --inner-no WF-0001 --gate-registration HP0001 --line 4:30:600",
			bind:    "inner-no=inner_no entrustment=entrustment_no gate-registration=reference line=lines(book_seq:quantity:value!:lot)"}, procMoveView)
	}
	c := rpcCmd(a, rpcSpec{use: "receive", method: customsv1.ProcessingService_ReceiveEntrusted_FullMethodName,
		short:   "Bring a domestic firm's materials in under a gate registration or from a non-declaration list (safe to repeat)",
		example: "  zonectl customs processing entrust receive --entrustment WTH310500000012600000001 --inner-no WR-0001 --gate-registration HP0001 --line 1:40:200",
		bind: "inner-no=inner_no entrustment=entrustment_no line=lines(book_seq:quantity!:value) " +
			"gate-registration=reference+via=gate_registration list=reference+via=list"}, procMoveView)
	// A gate registration names the goods; a list brings its own lines.
	c.MarkFlagsRequiredTogether("gate-registration", "line")
	c.MarkFlagsMutuallyExclusive("list", "line")
	return c
}

func (a *app) procEntrustMoveGetCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "move", method: customsv1.ProcessingService_GetEntrustedMove_FullMethodName,
		short:   "Show a receipt or return of an entrustment (one row per line)",
		example: "  zonectl customs processing entrust move WFH310500000012600000001",
		bind:    "MOVE=move_no"}, procMoveView)
}

var procGeneralTaxpayerView = cols[*customsv1.Book]("book_no", "enterprise", "general_taxpayer")

// procGeneralTaxpayerCmd stays hand-written: its one flag, --off, is the
// negation of the request's field, which is true without it.
func (a *app) procGeneralTaxpayerCmd() *cobra.Command {
	var off bool
	return leaf(&cobra.Command{
		Use:   "general-taxpayer BOOK [--off]",
		Short: "Record a book's enterprise as 一纳 (VAT general-taxpayer pilot), or no longer (customs)",
		Long: `Customs records that a book's enterprise is a VAT general-taxpayer pilot
enterprise (一纳企业): it may then sell finished goods to the domestic market
on 清单类型 9 lists (zonectl customs list create --list-type 9 ...), the lots
taken from bonded and non-bonded stock alike; the bonded part is taxed with
duty, VAT, consumption tax and 缓税利息, the non-bonded part leaves untaxed.
--off withdraws it. Safe to repeat.`,
		Example: "  zonectl customs processing general-taxpayer H31050000001",
		Args:    exactArgs(1, "BOOK"),
		RunE: runShow(a, procGeneralTaxpayerView, func(ctx context.Context, c *clients, args []string) (*customsv1.SetGeneralTaxpayerResponse, error) {
			return c.books.SetGeneralTaxpayer(ctx, &customsv1.SetGeneralTaxpayerRequest{BookNo: args[0], GeneralTaxpayer: !off})
		}),
	}, flagSpec{&off, "off", "the enterprise is no longer an 一纳 enterprise"})
}
