package main

import (
	"context"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/zoneledger/zoneledger/cmd/zonectl/internal/output"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// The testing, repair and remanufacture centre (检测维修中心): RepairService
// — repair and remanufacture orders on repair books, their steps, the
// stock per section and origin, overdue orders and rectification.

func (a *app) repairCmd() *cobra.Command {
	c := group("repair", "Repair and remanufacture (检测维修 / 再制造): orders, parts, steps, goods out, stock by section",
		a.repairOpenCmd(), a.repairPartsCmd(), a.repairTestCmd(), a.repairConsumeCmd(), a.repairRemoveCmd(), a.repairFinishCmd(),
		a.repairExitCmd(), a.repairGetCmd(), a.repairOverdueCmd(), a.repairStockCmd(), a.repairRectifyCmd())
	c.Long = `The repair centre of a REPAIR book (保税维修账册). Goods enter the zone on a
verification list and its pass like any goods; an order then takes one line of
that cleared list into 待维修 (or, --remanufacture, into cores), under the
list's origin: abroad (first line), domestic (second line) or the group's own
products (--group). Each later step names the order and a --key of your own
(safe to repeat): test, consume (parts by actual use), remove (old parts and
scrap into their sections), finish (repaired / unrepairable), exit (goods out).

Old/bad parts and scrap of goods from abroad leave only by re-export under
0864/0865 or destruction (GACC 公告2023年第105号): any other way is refused
(REPAIR_PARTS_RE_EXPORT_ONLY). The book's owner enterprise files; customs reads
every order and book and sets rectification.`
	return c
}

var repairOrderHeader = []string{"order_no", "inner_no", "book_no", "list_no", "line", "quantity", "origin", "remanufacture", "date", "due", "status", "section", "held_line", "held"}

// repairOrderRows prints an order as one row per section and line it holds.
func repairOrderRows(o *customsv1.RepairOrder) [][]string {
	head := []string{o.GetOrderNo(), o.GetInnerNo(), o.GetBookNo(), o.GetListNo(), strconv.Itoa(int(o.GetBookSeq())), o.GetQuantity(),
		enumName(o.GetOrigin(), "REPAIR_ORIGIN_"), strconv.FormatBool(o.GetRemanufacture()), o.GetDate(), o.GetDue(), o.GetStatus()}
	var rows [][]string
	for _, h := range o.GetHeld() {
		rows = append(rows, append(append([]string{}, head...), enumName(h.GetSection(), "REPAIR_SECTION_"), strconv.Itoa(int(h.GetBookSeq())), h.GetQuantity()))
	}
	if len(rows) == 0 {
		rows = append(rows, append(head, "", "", ""))
	}
	return rows
}

var repairOrderView = view[*customsv1.RepairOrder]{header: repairOrderHeader, rows: repairOrderRows}

func (a *app) repairOpenCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "open", method: customsv1.RepairService_OpenRepairOrder_FullMethodName,
		short: "Open a repair (or remanufacture) order on goods of a cleared inbound list (safe to repeat)",
		example: `  zonectl customs repair open --inner WX-1 --book H31050000003 --list QD310526I000000001 --line 1 --quantity 1
  zonectl customs repair open --inner ZZ-1 --book H31050000003 --list QD310526I000000002 --line 2 --quantity 3 --remanufacture`,
		bind: "group=group_products"}, repairOrderView)
}

func (a *app) repairPartsCmd() *cobra.Command {
	var inner, book, list, qty, date string
	var line int
	return leaf(&cobra.Command{
		Use:         "parts --inner NO --book BOOK --list LIST --line SEQ --quantity Q",
		Short:       "Take repair parts (维修用料件) of a cleared inbound list into the parts section (safe to repeat)",
		Example:     `  zonectl customs repair parts --inner LJ-1 --book H31050000003 --list QD310526I000000003 --line 3 --quantity 10`,
		Annotations: gives("inner", "book", "list", "line", "quantity"),
		RunE: a.act(func(cmd *cobra.Command, _ []string) error {
			return sendShow(a, cmd, cols[*customsv1.ReceiveRepairPartsResponse]("intake_no", "origin", "journal_id"),
				customsv1.RepairServiceClient.ReceiveRepairParts,
				&customsv1.ReceiveRepairPartsRequest{InnerNo: inner, BookNo: book, ListNo: list, BookSeq: int32(line), Quantity: qty, Date: date})
		}),
	},
		flagSpec{&inner, "inner", "your own number: the idempotency key (required)"},
		flagSpec{&book, "book", "repair book number (required)"},
		flagSpec{&list, "list", "the cleared inbound list the parts entered on (required)"},
		flagSpec{&line, "line", "book line of the parts (required)"},
		flagSpec{&qty, "quantity", "quantity (required)"},
		flagSpec{&date, "date", "business date, YYYY-MM-DD (default: today)"})
}

// stepFlags are the flags every step of an order takes.
type stepFlags struct{ key, date string }

func (f *stepFlags) add(c *cobra.Command) {
	c.Flags().StringVar(&f.key, "key", "", "your own key of the step: its idempotency key (required)")
	c.Flags().Var(ymd(&f.date), "date", "business date, YYYY-MM-DD (default: today)")
}

func (f *stepFlags) header(order string) (*customsv1.RepairStepHeader, error) {
	if f.key == "" {
		return nil, usagef("give --key")
	}
	return &customsv1.RepairStepHeader{OrderNo: order, Key: f.key, Date: f.date}, nil
}

func (a *app) repairTestCmd() *cobra.Command {
	var sf stepFlags
	var findings string
	c := &cobra.Command{
		Use:     "test ORDER --key KEY --findings TEXT",
		Short:   "Record testing (检测) findings on an order; nothing moves",
		Example: `  zonectl customs repair test WXH31050000003260000001 --key t1 --findings "blade 3 cracked"`,
		Args:    exactArgs(1, "ORDER"),
		RunE: a.act(func(cmd *cobra.Command, args []string) error {
			h, err := sf.header(args[0])
			if err != nil {
				return err
			}
			return sendShow(a, cmd, repairOrderView, customsv1.RepairServiceClient.RecordRepairTest,
				&customsv1.RecordRepairTestRequest{Step: h, Findings: findings})
		}),
	}
	sf.add(c)
	c.Flags().StringVar(&findings, "findings", "", "what testing found (required)")
	return c
}

// parseLineQty reads SEQ:QTY[:EXTRA], returning the extra part ("" when none).
func parseLineQty(flag, s string) (int32, string, string, error) {
	parts := strings.SplitN(s, ":", 3)
	if len(parts) < 2 {
		return 0, "", "", usagef("--%s %q: write LINE:QUANTITY[:...]", flag, s)
	}
	seq, err := strconv.Atoi(parts[0])
	if err != nil || seq < 1 {
		return 0, "", "", usagef("--%s %q: the line %q is not a number >= 1", flag, s, parts[0])
	}
	extra := ""
	if len(parts) == 3 {
		extra = parts[2]
	}
	return int32(seq), parts[1], extra, nil
}

func (a *app) repairConsumeCmd() *cobra.Command {
	var sf stepFlags
	var uses []string
	c := &cobra.Command{
		Use:         "consume ORDER --key KEY --part LINE:QTY:ORIGIN...",
		Short:       "Book repair parts consumed by actual use (ORIGIN abroad = bonded, or domestic)",
		Example:     `  zonectl customs repair consume WXH31050000003260000001 --key c1 --part 3:2:abroad`,
		Args:        exactArgs(1, "ORDER"),
		Annotations: gives("part"),
		RunE: a.act(func(cmd *cobra.Command, args []string) error {
			h, err := sf.header(args[0])
			if err != nil {
				return err
			}
			req := &customsv1.ConsumeRepairPartsRequest{Step: h}
			for _, u := range uses {
				seq, q, origin, err := parseLineQty("part", u)
				if err != nil {
					return err
				}
				o, ok := customsv1.RepairOrigin_value["REPAIR_ORIGIN_"+strings.ToUpper(origin)]
				if !ok || (origin != "abroad" && origin != "domestic") {
					return usagef("--part %q: the origin is abroad (bonded parts) or domestic", u)
				}
				req.Uses = append(req.Uses, &customsv1.RepairPartUse{BookSeq: seq, Quantity: q, Origin: customsv1.RepairOrigin(o)})
			}
			return sendShow(a, cmd, repairOrderView, customsv1.RepairServiceClient.ConsumeRepairParts, req)
		}),
	}
	sf.add(c)
	c.Flags().StringArrayVar(&uses, "part", nil, "parts used: LINE:QUANTITY:ORIGIN (repeatable, required)")
	return c
}

func (a *app) repairRemoveCmd() *cobra.Command {
	var sf stepFlags
	var olds, scraps []string
	c := &cobra.Command{
		Use:     "remove ORDER --key KEY [--old LINE:QTY[:VALUE]]... [--scrap LINE:QTY[:VALUE]]...",
		Short:   "Book old/bad parts (旧件/坏件) and scrap (维修边角料) taken out of the order's goods",
		Example: `  zonectl customs repair remove WXH31050000003260000001 --key x1 --old 4:1:1200.00 --scrap 5:0.25`,
		Args:    exactArgs(1, "ORDER"),
		RunE: a.act(func(cmd *cobra.Command, args []string) error {
			h, err := sf.header(args[0])
			if err != nil {
				return err
			}
			if len(olds)+len(scraps) == 0 {
				return usagef("give at least one --old or --scrap")
			}
			req := &customsv1.RemoveRepairPartsRequest{Step: h}
			for i, s := range append(append([]string{}, olds...), scraps...) {
				flag := "old"
				if i >= len(olds) {
					flag = "scrap"
				}
				seq, q, value, err := parseLineQty(flag, s)
				if err != nil {
					return err
				}
				req.Removed = append(req.Removed, &customsv1.RepairRemoved{BookSeq: seq, Quantity: q, Scrap: flag == "scrap", Value: value})
			}
			return sendShow(a, cmd, repairOrderView, customsv1.RepairServiceClient.RemoveRepairParts, req)
		}),
	}
	sf.add(c)
	c.Flags().StringArrayVar(&olds, "old", nil, "old/bad parts: LINE:QUANTITY[:VALUE CNY] (repeatable)")
	c.Flags().StringArrayVar(&scraps, "scrap", nil, "repair scrap: LINE:QUANTITY[:VALUE CNY] (repeatable)")
	return c
}

func (a *app) repairFinishCmd() *cobra.Command {
	var sf stepFlags
	repaired, unrepairable := "0", "0"
	c := &cobra.Command{
		Use:     "finish ORDER --key KEY [--repaired Q] [--unrepairable Q]",
		Short:   "Move the order's goods to repaired (remanufactured) and unrepairable",
		Example: `  zonectl customs repair finish WXH31050000003260000001 --key f1 --repaired 1`,
		Args:    exactArgs(1, "ORDER"),
		RunE: a.act(func(cmd *cobra.Command, args []string) error {
			h, err := sf.header(args[0])
			if err != nil {
				return err
			}
			return sendShow(a, cmd, repairOrderView, customsv1.RepairServiceClient.FinishRepair,
				&customsv1.FinishRepairRequest{Step: h, Repaired: repaired, Unrepairable: unrepairable})
		}),
	}
	sf.add(c)
	c.Flags().StringVar(&repaired, "repaired", "0", "quantity repaired (remanufactured)")
	c.Flags().StringVar(&unrepairable, "unrepairable", "0", "quantity that cannot be repaired")
	return c
}

func (a *app) repairExitCmd() *cobra.Command {
	var sf stepFlags
	var section, qty, way, mode, ref string
	var line int
	c := &cobra.Command{
		Use:   "exit ORDER --key KEY --section S --line SEQ --quantity Q --way W --reference DOC [--trade-mode M]",
		Short: "Book goods of an order leaving the repair book, the way the rules allow",
		Long: `Goods of an order leave the repair book. --section: repaired, unrepairable,
remanufactured, old-parts or scrap. --way: re-export, return-domestic,
gate-registration, domestic-sale or destroy. --reference: the customs document
they leave on. Re-export and return-domestic: a draft exit list of the book
(first line to re-export, second line back to the customer) with a line of
this book line and quantity; the goods are bound to it and leave when the list
is declared and its pass goes through the gate (--trade-mode is the list's).
Gate registration (卡口登记, old parts and scrap of domestic goods): a gate
registration of the book (zonectl customs gate pass, type 5, E, not yet at the
gate) with a line of this book line (book_seq) and quantity; the goods are
bound to it, the registration's line then names the order, and they leave
when the vehicle passes. Destruction: customs' approval number.

Customs returns the list, or you delete the draft list or withdraw the
registration: the order holds the goods again (step LIST_RETURNED,
LIST_DELETED or PASS_WITHDRAWN) and they leave by a new exit step. See them
with "repair get ORDER --bindings".

Old/bad parts and scrap of goods from abroad: re-export under --trade-mode 0864
or 0865, or destroy — nothing else (公告2023年第105号).`,
		Example: `  zonectl customs repair exit WXH31050000003260000001 --key e1 --section old-parts --line 4 --quantity 1 \
      --way re-export --reference QD310526E000000009
  zonectl customs repair exit WXH31050000003260000002 --key e2 --section old-parts --line 5 --quantity 1 \
      --way gate-registration --reference HF310526E000000012`,
		Args:        exactArgs(1, "ORDER"),
		Annotations: gives("section", "line", "quantity", "way", "reference"),
		RunE: a.act(func(cmd *cobra.Command, args []string) error {
			h, err := sf.header(args[0])
			if err != nil {
				return err
			}
			sec, ok := customsv1.RepairSection_value["REPAIR_SECTION_"+strings.ToUpper(strings.ReplaceAll(section, "-", "_"))]
			if !ok || sec == 0 {
				return usagef("--section %q: repaired, unrepairable, remanufactured, old-parts or scrap", section)
			}
			w, ok := customsv1.RepairExitWay_value["REPAIR_EXIT_WAY_"+strings.ToUpper(strings.ReplaceAll(way, "-", "_"))]
			if !ok || w == 0 {
				return usagef("--way %q: re-export, return-domestic, gate-registration, domestic-sale or destroy", way)
			}
			return sendShow(a, cmd, repairOrderView, customsv1.RepairServiceClient.ExitRepairGoods,
				&customsv1.ExitRepairGoodsRequest{Step: h, Section: customsv1.RepairSection(sec), BookSeq: int32(line), Quantity: qty,
					Way: customsv1.RepairExitWay(w), TradeMode: mode, Reference: ref})
		}),
	}
	sf.add(c)
	c.Flags().StringVar(&section, "section", "", "section the goods leave from (required)")
	c.Flags().IntVar(&line, "line", 0, "book line (required)")
	c.Flags().StringVar(&qty, "quantity", "", "quantity (required)")
	c.Flags().StringVar(&way, "way", "", "the way out (required)")
	c.Flags().StringVar(&mode, "trade-mode", "", "监管方式 of the exit's document (0864/0865 for old parts and scrap re-exported)")
	c.Flags().StringVar(&ref, "reference", "", "the customs document the goods leave on (required)")
	return c
}

var repairStepHeader = []string{"order_no", "key", "kind", "date", "journal_id", "filed_by", "detail"}

var repairBindingHeader = []string{"order_no", "document", "document_no", "line", "section", "book_seq", "quantity", "step", "released"}

func (a *app) repairGetCmd() *cobra.Command {
	var trail, bindings bool
	return leaf(&cobra.Command{
		Use:   "get ORDER [--trail | --bindings]",
		Short: "Show an order (one row per section and line it holds), its trail of steps, or the list and registration lines its goods are bound to",
		Example: `  zonectl customs repair get WXH31050000003260000001
  zonectl customs repair get WXH31050000003260000001 --trail
  zonectl customs repair get WXH31050000003260000001 --bindings`,
		Args: exactArgs(1, "ORDER"),
		RunE: a.act(func(cmd *cobra.Command, args []string) error {
			o, err := call(a, cmd.Context(), func(ctx context.Context, c *clients) (*customsv1.RepairOrder, error) {
				r, err := c.repair.GetRepairOrder(ctx, &customsv1.GetRepairOrderRequest{OrderNo: args[0]})
				return r.GetOrder(), err
			})
			if err != nil {
				return err
			}
			if trail && bindings {
				return usagef("give --trail or --bindings, not both")
			}
			if bindings {
				var rows [][]string
				for _, b := range o.GetBindings() {
					rows = append(rows, []string{o.GetOrderNo(), b.GetDocument(), b.GetDocumentNo(), strconv.Itoa(int(b.GetLine())), enumName(b.GetSection(), "REPAIR_SECTION_"),
						strconv.Itoa(int(b.GetBookSeq())), b.GetQuantity(), b.GetStep(), b.GetReleased()})
				}
				return output.One(a.stdout, a.format, o, repairBindingHeader, rows...)
			}
			if !trail {
				return output.One(a.stdout, a.format, o, repairOrderHeader, repairOrderRows(o)...)
			}
			rows := [][]string{{o.GetOrderNo(), o.GetInnerNo(), "OPEN", o.GetDate(), idOf(o.GetJournalIds(), 0), o.GetFiledBy(), o.GetListNo()}}
			for _, s := range o.GetSteps() {
				rows = append(rows, []string{o.GetOrderNo(), s.GetKey(), s.GetKind(), s.GetDate(), strconv.FormatInt(s.GetJournalId(), 10), s.GetFiledBy(), s.GetDetail()})
			}
			return output.One(a.stdout, a.format, o, repairStepHeader, rows...)
		}),
	},
		flagSpec{&trail, "trail", "show the steps with their journals"},
		flagSpec{&bindings, "bindings", "show the list and gate-registration lines the order's goods are bound to, and which were returned, deleted or withdrawn"})
}

func idOf(ids []int64, i int) string {
	if i < len(ids) {
		return strconv.FormatInt(ids[i], 10)
	}
	return ""
}

func (a *app) repairOverdueCmd() *cobra.Command {
	var book, asOf string
	return leaf(&cobra.Command{
		Use:   "overdue [--book BOOK] [--as-of YYYY-MM-DD]",
		Short: "List open repair orders past their due day: one book's, or every book you read (customs: the zone)",
		Example: `  zonectl customs repair overdue
  zonectl customs repair overdue --book H31050000003 --as-of 2027-12-31`,
		RunE: a.act(func(cmd *cobra.Command, _ []string) error {
			return showAll(a, cmd, repairOrderView, func(ctx context.Context, c *clients) ([]*customsv1.RepairOrder, error) {
				r, err := c.repair.ListOverdueRepairOrders(ctx, &customsv1.ListOverdueRepairOrdersRequest{BookNo: book, AsOf: asOf})
				return r.GetOrders(), err
			})
		}),
	},
		flagSpec{&book, "book", "only this book's orders"},
		flagSpec{ymd(&asOf), "as-of", "overdue as of this day (default: today)"})
}

func (a *app) repairStockCmd() *cobra.Command {
	var asOf string
	var all bool
	return leaf(&cobra.Command{
		Use:   "stock BOOK [--as-of YYYY-MM-DD] [--all]",
		Short: "Show a repair book's stock per line, section and origin (non-zero ones unless --all)",
		Example: `  zonectl customs repair stock H31050000003
  zonectl customs repair stock H31050000003 --as-of 2026-12-01`,
		Args: exactArgs(1, "BOOK"),
		RunE: a.act(func(cmd *cobra.Command, args []string) error {
			v := view[*customsv1.GetRepairStockResponse]{header: []string{"line", "name", "unit", "section", "origin", "quantity"},
				rows: func(r *customsv1.GetRepairStockResponse) [][]string {
					var rows [][]string
					for _, l := range r.GetLines() {
						for _, h := range l.GetHoldings() {
							if all || h.GetQuantity() != "0" {
								rows = append(rows, []string{strconv.Itoa(int(l.GetBookSeq())), l.GetName(), l.GetUnit(),
									enumName(h.GetSection(), "REPAIR_SECTION_"), enumName(h.GetOrigin(), "REPAIR_ORIGIN_"), h.GetQuantity()})
							}
						}
					}
					return rows
				}}
			return sendShow(a, cmd, v, customsv1.RepairServiceClient.GetRepairStock, &customsv1.GetRepairStockRequest{BookNo: args[0], AsOf: asOf})
		}),
	},
		flagSpec{ymd(&asOf), "as-of", "as of the end of this day (default: now)"},
		flagSpec{&all, "all", "show zero quantities too"})
}

func (a *app) repairRectifyCmd() *cobra.Command {
	var on, off bool
	var note string
	return leaf(&cobra.Command{
		Use:   "rectification ENTERPRISE (--on --note TEXT | --off)",
		Short: "Put an enterprise under rectification (no new repair orders) or lift it (customs)",
		Example: `  zonectl customs repair rectification 91310000MA1K000019 --on --note "premises not separated"
  zonectl customs repair rectification 91310000MA1K000019 --off`,
		Args: exactArgs(1, "ENTERPRISE"),
		RunE: a.act(func(cmd *cobra.Command, args []string) error {
			if on == off {
				return usagef("give --on or --off")
			}
			v := view[*customsv1.SetRectificationResponse]{header: []string{"enterprise", "under_rectification"},
				rows: func(*customsv1.SetRectificationResponse) [][]string {
					return [][]string{{args[0], strconv.FormatBool(on)}}
				}}
			return sendShow(a, cmd, v, customsv1.RepairServiceClient.SetRectification,
				&customsv1.SetRectificationRequest{Enterprise: args[0], UnderRectification: on, Note: note})
		}),
	},
		flagSpec{&on, "on", "put under rectification"},
		flagSpec{&off, "off", "lift rectification"},
		flagSpec{&note, "note", "why (required with --on)"})
}
