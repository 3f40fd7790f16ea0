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

var procVersionHeader = []string{"book_no", "good", "version", "effective", "status", "material", "net", "loss_%", "bonded_%", "单耗", "exact", "used_by", "superseded_by"}

func procVersionRows(v *customsv1.Version) [][]string {
	var rows [][]string
	for _, n := range v.GetNorms() {
		rows = append(rows, []string{v.GetBookNo(), strconv.Itoa(int(v.GetFinishedSeq())), v.GetVersion(), v.GetEffectiveDate(),
			enumName(v.GetStatus(), "VERSION_STATUS_"), strconv.Itoa(int(n.GetMaterialSeq())), n.GetNet(), n.GetLossPercent(), n.GetBondedPercent(),
			n.GetUnitConsumption(), strconv.FormatBool(n.GetUnitConsumptionExact()), v.GetUsedBy(), v.GetSupersededBy()})
	}
	return rows
}

// parseNorm reads MAT:NET[:LOSS%[:BONDED%]].
func parseNorm(s string) (*customsv1.Norm, error) {
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 4 {
		return nil, usagef("--norm %q: write MATERIAL_SEQ:NET[:LOSS_PERCENT[:BONDED_PERCENT]], e.g. 3:0.95:5", s)
	}
	seq, err := strconv.Atoi(parts[0])
	if err != nil || seq < 1 {
		return nil, usagef("--norm %q: the material line %q is not a number >= 1", s, parts[0])
	}
	n := &customsv1.Norm{MaterialSeq: int32(seq), Net: parts[1]}
	if len(parts) > 2 {
		n.LossPercent = parts[2]
	}
	if len(parts) > 3 {
		n.BondedPercent = parts[3]
	}
	return n, nil
}

func (a *app) procVersionPutCmd() *cobra.Command {
	var book, version, effective string
	var good int
	var norms []string
	return leaf(&cobra.Command{
		Use:   "put --book BOOK --good SEQ --version N --effective YYYY-MM-DD --norm MAT:NET[:LOSS%[:BONDED%]]...",
		Short: "File a unit consumption version of a good, or change one no report used (safe to repeat)",
		Long: `File a unit consumption version (单耗版本) of a finished or semi-finished good
(--good, its book line), one --norm per material line: MAT:NET[:LOSS%[:BONDED%]]
— the material's book line, the net consumption (净耗) per unit of the good in
the material's declared unit, the process loss rate (工艺损耗率) in percent
(default 0, below 100) and the bonded share (保税料件比例) in percent (default
100). The server answers each material's 单耗 = 净耗 / (1 − 工艺损耗率), exact
when it terminates within 9 places.

A version with a later effective date than the good's latest supersedes it
from that date. Running the same command again returns the version; changing a
version a report used is refused (VERSION_LOCKED): file a new version.`,
		Example: `  zonectl customs processing version put --book H31050000001 --good 4 --version 1 \
      --effective 2026-11-01 --norm 1:0.95:5 --norm 2:2.0:20`,
		Annotations: gives("book", "good", "version", "effective", "norm"),
		RunE: a.act(func(cmd *cobra.Command, _ []string) error {
			req := &customsv1.PutVersionRequest{BookNo: book, FinishedSeq: int32(good), Version: version, EffectiveDate: effective}
			for _, s := range norms {
				n, err := parseNorm(s)
				if err != nil {
					return err
				}
				req.Norms = append(req.Norms, n)
			}
			return sendShow(a, cmd, procVersionView, customsv1.ProcessingServiceClient.PutVersion, req)
		}),
	},
		flagSpec{&book, "book", "book number (required)"},
		flagSpec{&good, "good", "the good's book line (成品序号) (required)"},
		flagSpec{&version, "version", "the 单耗版本号, 1 to 8 digits (required)"},
		flagSpec{ymd(&effective), "effective", "first day in force, YYYY-MM-DD (required)"},
		flagSpec{array(&norms), "norm", "a material: MAT:NET[:LOSS%[:BONDED%]] (repeatable, required)"})
}

func (a *app) procVersionDeclareCmd() *cobra.Command {
	var book, version string
	var good int
	return leaf(&cobra.Command{
		Use:         "declare --book BOOK --good SEQ --version N",
		Short:       "Declare a version to customs (单耗申报): DRAFT becomes DECLARED (safe to repeat)",
		Example:     `  zonectl customs processing version declare --book H31050000001 --good 4 --version 1`,
		Annotations: gives("book", "good", "version"),
		RunE: a.act(func(cmd *cobra.Command, _ []string) error {
			return sendShow(a, cmd, procVersionView, customsv1.ProcessingServiceClient.DeclareVersion,
				&customsv1.DeclareVersionRequest{BookNo: book, FinishedSeq: int32(good), Version: version})
		}),
	},
		flagSpec{&book, "book", "book number (required)"},
		flagSpec{&good, "good", "the good's book line (required)"},
		flagSpec{&version, "version", "the 单耗版本号 (required)"})
}

func (a *app) procVersionGetCmd() *cobra.Command {
	var book, version, date string
	var good int
	return leaf(&cobra.Command{
		Use:   "get --book BOOK --good SEQ [--version N | --date YYYY-MM-DD]",
		Short: "Show a version of a good, or the one in force on a day (one row per material)",
		Example: `  zonectl customs processing version get --book H31050000001 --good 4 --version 1
  zonectl customs processing version get --book H31050000001 --good 4 --date 2026-11-20`,
		Annotations: gives("book", "good"),
		RunE: a.act(func(cmd *cobra.Command, _ []string) error {
			if version != "" && date != "" {
				return usagef("give --version or --date, not both")
			}
			return sendShow(a, cmd, procVersionView, customsv1.ProcessingServiceClient.GetVersion,
				&customsv1.GetVersionRequest{BookNo: book, FinishedSeq: int32(good), Version: version, Date: date})
		}),
	},
		flagSpec{&book, "book", "book number (required)"},
		flagSpec{&good, "good", "the good's book line (required)"},
		flagSpec{&version, "version", "the 单耗版本号 (default: the one in force on --date)"},
		flagSpec{ymd(&date), "date", "with no --version, the day, YYYY-MM-DD (default: today)"})
}

// procVersionView prints a version, one row per material.
var procVersionView = view[*customsv1.Version]{procVersionHeader, procVersionRows}

func (a *app) procVersionListCmd() *cobra.Command {
	var book string
	var good int
	var undeclared bool
	return leaf(&cobra.Command{
		Use:         "list --book BOOK [--good SEQ] [--used-not-declared]",
		Short:       "List a book's versions by good and effective date (one row per material)",
		Example:     `  zonectl customs processing version list --book H31050000001 --good 4`,
		Annotations: gives("book"),
		RunE: a.act(func(cmd *cobra.Command, _ []string) error {
			return sendShowPages(a, cmd, procVersionView, customsv1.ProcessingServiceClient.ListVersions,
				&customsv1.ListVersionsRequest{BookNo: book, FinishedSeq: int32(good), UsedNotDeclared: undeclared})
		}),
	},
		flagSpec{&book, "book", "book number (required)"},
		flagSpec{&good, "good", "only this good's versions"},
		flagSpec{&undeclared, "used-not-declared", "only versions production used that are still drafts (declare them before write-off)"})
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
	var book, inner, date, entrustment string
	var outputs, materials, actual []string
	return leaf(&cobra.Command{
		Use:   "file --book BOOK --inner-no N --output SEQ:QTY[:VALUE[:VERSION[:CATEGORY]]]... [--material SEQ:LOT]... [--actual SEQ:QTY[:LOSS[:LOT]]]... [--entrustment WT]",
		Short: "File a production report: goods made, materials consumed (safe to repeat)",
		Long: `File a production report (self-reported under 四自一简). --output
SEQ:QTY[:VALUE[:VERSION[:CATEGORY]]] names goods made: the book line, the
quantity in its declared unit, the carrying value of the lot in CNY (default
0), to check it the 单耗版本号 in force, and the category: FINISHED or
SEMI_FINISHED (the default by the line), DEFECT (残次品, consumes as the good
does), SCRAP (边角料) or BY_PRODUCT (副产品), which consume nothing by version. By default the materials are consumed by the versions in force on
the report's date; --material SEQ:LOT takes a material from a named lot
(otherwise oldest lots first). With --actual SEQ:QTY[:LOSS[:LOT]] the report
consumes the quantities given instead (basis ACTUAL): the bonded quantity
used and the process loss within it.

A material that would go below zero is refused (INSUFFICIENT_BONDED_STOCK) and
nothing is booked. --inner-no is the idempotency key.`,
		Example: `  zonectl customs processing report file --book H31050000001 --inner-no SC-0001 --output 4:1000
  zonectl customs processing report file --book H31050000001 --inner-no SC-0002 --output 4:10 --actual 1:10.5:0.5`,
		Annotations: gives("book", "inner-no", "output"),
		RunE: a.act(func(cmd *cobra.Command, _ []string) error {
			if len(actual) > 0 && len(materials) > 0 {
				return usagef("--actual gives the materials consumed (with their lots); --material is for consumption by version")
			}
			req := &customsv1.FileProductionReportRequest{InnerNo: inner, BookNo: book, Date: date, EntrustmentNo: entrustment}
			for _, s := range outputs {
				p := strings.Split(s, ":")
				seq, err := strconv.Atoi(p[0])
				if len(p) < 2 || len(p) > 5 || err != nil {
					return usagef("--output %q: write SEQ:QTY[:VALUE[:VERSION[:CATEGORY]]]", s)
				}
				o := &customsv1.ProductionOutput{BookSeq: int32(seq), Quantity: p[1]}
				if len(p) > 2 {
					o.Value = p[2]
				}
				if len(p) > 3 {
					o.Version = p[3]
				}
				if len(p) > 4 {
					v, ok := customsv1.ProductionCategory_value["PRODUCTION_CATEGORY_"+strings.ToUpper(p[4])]
					if !ok || v == 0 {
						return usagef("--output %q: the category is FINISHED, SEMI_FINISHED, DEFECT, SCRAP or BY_PRODUCT", s)
					}
					o.Category = customsv1.ProductionCategory(v)
				}
				req.Outputs = append(req.Outputs, o)
			}
			for _, s := range materials {
				p := strings.SplitN(s, ":", 2)
				seq, err := strconv.Atoi(p[0])
				if len(p) != 2 || err != nil {
					return usagef("--material %q: write SEQ:LOT", s)
				}
				req.Materials = append(req.Materials, &customsv1.ProductionMaterial{BookSeq: int32(seq), Lot: p[1]})
			}
			if len(actual) > 0 {
				req.Basis = customsv1.ConsumptionBasis_CONSUMPTION_BASIS_ACTUAL
			}
			for _, s := range actual {
				p := strings.SplitN(s, ":", 4)
				seq, err := strconv.Atoi(p[0])
				if len(p) < 2 || err != nil {
					return usagef("--actual %q: write SEQ:QTY[:LOSS[:LOT]]", s)
				}
				m := &customsv1.ProductionMaterial{BookSeq: int32(seq), Quantity: p[1]}
				if len(p) > 2 {
					m.Loss = p[2]
				}
				if len(p) > 3 {
					m.Lot = p[3]
				}
				req.Materials = append(req.Materials, m)
			}
			return sendShow(a, cmd, procReportView, customsv1.ProcessingServiceClient.FileProductionReport, req)
		}),
	},
		flagSpec{&book, "book", "book number (required)"},
		flagSpec{&inner, "inner-no", "the enterprise's own report number: the idempotency key (required)"},
		flagSpec{ymd(&date), "date", "business date, YYYY-MM-DD, not in the future (default: today)"},
		flagSpec{array(&outputs), "output", "goods made: SEQ:QTY[:VALUE[:VERSION[:CATEGORY]]] (repeatable, required)"},
		flagSpec{array(&materials), "material", "take a material from a lot: SEQ:LOT (repeatable)"},
		flagSpec{array(&actual), "actual", "a material actually consumed: SEQ:QTY[:LOSS[:LOT]] (repeatable; makes the basis ACTUAL)"},
		flagSpec{&entrustment, "entrustment", "the 委托加工 entrustment the report is for: the firm's materials are consumed and the goods made held for it"})
}

func (a *app) procReportGetCmd() *cobra.Command {
	req := &customsv1.GetProductionReportRequest{}
	return &cobra.Command{
		Use:     "get REPORT",
		Short:   "Show a production report (one row per good made and per material consumed)",
		Example: `  zonectl customs processing report get SCH310500000012600000001`,
		Args:    exactArgs(1, "REPORT"),
		RunE:    runShow(a, procReportView, sendArg(customsv1.ProcessingServiceClient.GetProductionReport, req, &req.ReportNo)),
	}
}

func (a *app) procReportListCmd() *cobra.Command {
	var book string
	return leaf(&cobra.Command{
		Use:         "list --book BOOK",
		Short:       "List a book's production reports in number order",
		Example:     `  zonectl customs processing report list --book H31050000001 -o csv`,
		Annotations: gives("book"),
		RunE: a.act(func(cmd *cobra.Command, _ []string) error {
			return sendShowPages(a, cmd, procReportView, customsv1.ProcessingServiceClient.ListProductionReports,
				&customsv1.ListProductionReportsRequest{BookNo: book})
		}),
	}, flagSpec{&book, "book", "book number (required)"})
}

var procDestroyHeader = []string{"destruction_no", "inner_no", "book_no", "date", "status", "line", "quantity", "lots", "reason"}

func procDestroyRows(d *customsv1.Destruction) [][]string {
	var rows [][]string
	for _, l := range d.GetLines() {
		var lots []string
		for _, q := range l.GetLots() {
			lots = append(lots, q.GetLot()+"="+q.GetQuantity())
		}
		rows = append(rows, []string{d.GetDestructionNo(), d.GetInnerNo(), d.GetBookNo(), d.GetDate(), enumName(d.GetStatus(), "DESTRUCTION_STATUS_"),
			strconv.Itoa(int(l.GetBookSeq())), l.GetQuantity(), strings.Join(lots, " "), d.GetReason()})
	}
	return rows
}

// procDestroyView prints a destruction, one row per line.
var procDestroyView = view[*customsv1.Destruction]{procDestroyHeader, procDestroyRows}

func (a *app) procDestroyRequestCmd() *cobra.Command {
	var book, inner, date, reason, residue, residueHS string
	var lines []string
	return leaf(&cobra.Command{
		Use:   "request --book BOOK --inner-no N --reason TEXT --line SEQ:QTY[:LOT]... [--residue-value CNY --residue-hs-code HS]",
		Short: "Ask customs to approve the destruction (销毁) of goods; nothing moves until it does (safe to repeat)",
		Example: `  zonectl customs processing destruction request --book H31050000001 --inner-no XH-0001 \
      --reason "scrap of no value" --line 5:0.5`,
		Annotations: gives("book", "inner-no", "reason", "line"),
		RunE: a.act(func(cmd *cobra.Command, _ []string) error {
			req := &customsv1.RequestDestructionRequest{InnerNo: inner, BookNo: book, Date: date, Reason: reason, ResidueValue: residue, ResidueHsCode: residueHS}
			for _, s := range lines {
				p := strings.SplitN(s, ":", 3)
				seq, err := strconv.Atoi(p[0])
				if len(p) < 2 || err != nil {
					return usagef("--line %q: write SEQ:QTY[:LOT]", s)
				}
				l := &customsv1.DestroyLine{BookSeq: int32(seq), Quantity: p[1]}
				if len(p) > 2 {
					l.Lot = p[2]
				}
				req.Lines = append(req.Lines, l)
			}
			return sendShow(a, cmd, procDestroyView, customsv1.ProcessingServiceClient.RequestDestruction, req)
		}),
	},
		flagSpec{&book, "book", "book number (required)"},
		flagSpec{&inner, "inner-no", "the enterprise's own number: the idempotency key (required)"},
		flagSpec{&reason, "reason", "why the goods are destroyed (required)"},
		flagSpec{ymd(&date), "date", "business date, YYYY-MM-DD, not in the future (default: today)"},
		flagSpec{&residue, "residue-value", "what the valuable residue was sold for, CNY (taxed on approval)"},
		flagSpec{&residueHS, "residue-hs-code", "the residue's 10-digit HS code (required with --residue-value)"},
		flagSpec{array(&lines), "line", "goods: SEQ:QTY[:LOT] (repeatable, required)"})
}

func (a *app) procDestroyDecideCmd(approve bool) *cobra.Command {
	var note string
	verb, short := "reject", "Reject a requested destruction; nothing moves (customs)"
	if approve {
		verb, short = "approve", "Approve a requested destruction: the goods leave the book (customs)"
	}
	return leaf(&cobra.Command{
		Use:     verb + " DESTRUCTION [--note TEXT]",
		Short:   short,
		Example: "  zonectl customs processing destruction " + verb + " XHH310500000012600000001 --note witnessed",
		Args:    exactArgs(1, "DESTRUCTION"),
		RunE: a.act(func(cmd *cobra.Command, args []string) error {
			if approve {
				return sendShow(a, cmd, procDestroyView, customsv1.ProcessingServiceClient.ApproveDestruction,
					&customsv1.ApproveDestructionRequest{DestructionNo: args[0], Note: note})
			}
			return sendShow(a, cmd, procDestroyView, customsv1.ProcessingServiceClient.RejectDestruction,
				&customsv1.RejectDestructionRequest{DestructionNo: args[0], Note: note})
		}),
	}, flagSpec{&note, "note", "customs' remark"})
}

func (a *app) procDestroyGetCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "get DESTRUCTION",
		Short:   "Show a destruction (one row per line)",
		Example: "  zonectl customs processing destruction get XHH310500000012600000001",
		Args:    exactArgs(1, "DESTRUCTION"),
		RunE: a.act(func(cmd *cobra.Command, args []string) error {
			return sendShow(a, cmd, procDestroyView, customsv1.ProcessingServiceClient.GetDestruction,
				&customsv1.GetDestructionRequest{DestructionNo: args[0]})
		}),
	}
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
	var book, inner, client, name, date string
	return leaf(&cobra.Command{
		Use:         "file --book BOOK --inner-no N --client USCC --client-name NAME",
		Short:       "File a 委托加工 contract with a domestic firm (safe to repeat)",
		Example:     `  zonectl customs processing entrust file --book H31050000001 --inner-no WT-0001 --client 91320000MA1K000097 --client-name "苏州某电子有限公司"`,
		Annotations: gives("book", "inner-no", "client", "client-name"),
		RunE: a.act(func(cmd *cobra.Command, _ []string) error {
			return sendShow(a, cmd, procEntrustView, customsv1.ProcessingServiceClient.FileEntrustment,
				&customsv1.FileEntrustmentRequest{InnerNo: inner, BookNo: book, Client: client, ClientName: name, Date: date})
		}),
	},
		flagSpec{&book, "book", "book number (required)"},
		flagSpec{&inner, "inner-no", "the enterprise's own number: the idempotency key (required)"},
		flagSpec{&client, "client", "the domestic firm's 统一社会信用代码 (required)"},
		flagSpec{&name, "client-name", "the domestic firm's name (required)"},
		flagSpec{ymd(&date), "date", "business date, YYYY-MM-DD, not in the future (default: today)"})
}

func (a *app) procEntrustGetCmd() *cobra.Command {
	req := &customsv1.GetEntrustmentRequest{}
	return &cobra.Command{
		Use:     "get ENTRUSTMENT",
		Short:   "Show an entrustment with the bonded materials its reports consumed and the part taxed",
		Example: "  zonectl customs processing entrust get WTH310500000012600000001",
		Args:    exactArgs(1, "ENTRUSTMENT"),
		RunE:    runShow(a, procEntrustView, sendArg(customsv1.ProcessingServiceClient.GetEntrustment, req, &req.EntrustmentNo)),
	}
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

// procEntrustMoveCmd is "entrust receive" (receive) or "entrust return".
func (a *app) procEntrustMoveCmd(receive bool) *cobra.Command {
	var entrustment, inner, gate, list, date string
	var lines []string
	verb, short, lineHelp := "return", "Take products back to the domestic firm under a gate registration; each line taxed on its fee (safe to repeat)", "products: SEQ:QTY:FEE[:LOT], FEE the processing fee in CNY (repeatable, required)"
	example := "  zonectl customs processing entrust return --entrustment WTH310500000012600000001 --inner-no WF-0001 --gate-registration HP0001 --line 4:30:600"
	if receive {
		verb, short, lineHelp = "receive", "Bring a domestic firm's materials in under a gate registration or from a non-declaration list (safe to repeat)", "materials: SEQ:QTY[:VALUE] (repeatable; with --gate-registration)"
		example = "  zonectl customs processing entrust receive --entrustment WTH310500000012600000001 --inner-no WR-0001 --gate-registration HP0001 --line 1:40:200"
	}
	c := &cobra.Command{
		Use:     verb + " --entrustment WT --inner-no N (--gate-registration PASS --line ...|--list LIST)",
		Short:   short,
		Example: example,
		Args:    exactArgs(0, "no arguments"),
		RunE: a.act(func(cmd *cobra.Command, _ []string) error {
			if entrustment == "" || inner == "" || (gate == "") == (list == "") {
				return usagef("give --entrustment, --inner-no and one of --gate-registration or --list")
			}
			if list != "" && (!receive || len(lines) > 0) {
				return usagef("--list receives the lines of a cleared non-declaration list: name no --line, and return products under --gate-registration")
			}
			if gate != "" && len(lines) == 0 {
				return usagef("name the goods with --line")
			}
			var ls []*customsv1.EntrustedLine
			for _, s := range lines {
				p := strings.Split(s, ":")
				seq, err := strconv.Atoi(p[0])
				if err != nil || len(p) < 2 || len(p) > 4 || (!receive && len(p) < 3) || (receive && len(p) > 3) {
					if receive {
						return usagef("--line %q: write SEQ:QTY[:VALUE]", s)
					}
					return usagef("--line %q: write SEQ:QTY:FEE[:LOT]", s)
				}
				l := &customsv1.EntrustedLine{BookSeq: int32(seq), Quantity: p[1]}
				if len(p) > 2 {
					l.Value = p[2]
				}
				if len(p) > 3 {
					l.Lot = p[3]
				}
				ls = append(ls, l)
			}
			return show(a, cmd, view[*customsv1.EntrustedMove]{procMoveHeader, procMoveRows}, func(ctx context.Context, c *clients) (*customsv1.EntrustedMove, error) {
				if !receive {
					r, err := c.processing.ReturnEntrusted(ctx, &customsv1.ReturnEntrustedRequest{InnerNo: inner, EntrustmentNo: entrustment, Reference: gate, Lines: ls, Date: date})
					return r.GetMove(), err
				}
				req := &customsv1.ReceiveEntrustedRequest{InnerNo: inner, EntrustmentNo: entrustment, Reference: gate, Lines: ls, Date: date,
					Via: customsv1.EntrustedVia_ENTRUSTED_VIA_GATE_REGISTRATION}
				if list != "" {
					req.Reference, req.Via = list, customsv1.EntrustedVia_ENTRUSTED_VIA_LIST
				}
				r, err := c.processing.ReceiveEntrusted(ctx, req)
				return r.GetMove(), err
			})
		}),
	}
	c.Flags().StringVar(&entrustment, "entrustment", "", "the entrustment (required)")
	c.Flags().StringVar(&inner, "inner-no", "", "the enterprise's own number: the idempotency key (required)")
	c.Flags().StringVar(&gate, "gate-registration", "", "the gate registration (核放单 type 5) that passed with the goods")
	if receive {
		c.Flags().StringVar(&list, "list", "", "a cleared non-declaration list (是否报关 2, I) that brought the goods")
	}
	c.Flags().Var(ymd(&date), "date", "business date, YYYY-MM-DD, not in the future (default: today)")
	c.Flags().StringArrayVar(&lines, "line", nil, lineHelp)
	return c
}

func (a *app) procEntrustMoveGetCmd() *cobra.Command {
	req := &customsv1.GetEntrustedMoveRequest{}
	return &cobra.Command{
		Use:     "move MOVE",
		Short:   "Show a receipt or return of an entrustment (one row per line)",
		Example: "  zonectl customs processing entrust move WFH310500000012600000001",
		Args:    exactArgs(1, "MOVE"),
		RunE:    runShow(a, view[*customsv1.EntrustedMove]{procMoveHeader, procMoveRows}, sendArg(customsv1.ProcessingServiceClient.GetEntrustedMove, req, &req.MoveNo)),
	}
}

var procGeneralTaxpayerView = cols[*customsv1.Book]("book_no", "enterprise", "general_taxpayer")

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
