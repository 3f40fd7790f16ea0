package main

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/spf13/cobra"
	"google.golang.org/protobuf/proto"

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

// repairOrderView prints an order as one row per section and line it
// holds (one row when it holds nothing).
var repairOrderView = flat[*customsv1.RepairOrder]([]string{"order_no", "inner_no", "book_no", "list_no", "line=book_seq", "quantity", "origin",
	"remanufacture", "date", "due", "status"}, "held", "section", "held_line=book_seq", "held=quantity")

func (a *app) repairOpenCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "open", method: customsv1.RepairService_OpenRepairOrder_FullMethodName,
		short: "Open a repair (or remanufacture) order on goods of a cleared inbound list (safe to repeat)",
		example: `  zonectl customs repair open --inner WX-1 --book H31050000003 --list QD310526I000000001 --line 1 --quantity 1
  zonectl customs repair open --inner ZZ-1 --book H31050000003 --list QD310526I000000002 --line 2 --quantity 3 --remanufacture`,
		bind: "group=group_products"}, repairOrderView)
}

func (a *app) repairPartsCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "parts", method: customsv1.RepairService_ReceiveRepairParts_FullMethodName,
		short:   "Take repair parts (维修用料件) of a cleared inbound list into the parts section (safe to repeat)",
		example: `  zonectl customs repair parts --inner LJ-1 --book H31050000003 --list QD310526I000000003 --line 3 --quantity 10`},
		cols[*customsv1.ReceiveRepairPartsResponse]("intake_no", "origin", "journal_id"))
}

func (a *app) repairTestCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "test", method: customsv1.RepairService_RecordRepairTest_FullMethodName,
		short:   "Record testing (检测) findings on an order; nothing moves",
		example: `  zonectl customs repair test WXH31050000003260000001 --key t1 --findings "blade 3 cracked"`,
		bind:    "ORDER=step.order_no"}, repairOrderView)
}

func (a *app) repairConsumeCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "consume", method: customsv1.RepairService_ConsumeRepairParts_FullMethodName,
		short:   "Book repair parts consumed by actual use (ORIGIN abroad = bonded, or domestic)",
		example: `  zonectl customs repair consume WXH31050000003260000001 --key c1 --part 3:2:abroad`,
		bind:    "ORDER=step.order_no part=uses(book_seq:quantity:origin!)",
		check: func(req proto.Message, _ []string) error {
			for _, u := range req.(*customsv1.ConsumeRepairPartsRequest).GetUses() {
				if o := u.GetOrigin(); o != customsv1.RepairOrigin_REPAIR_ORIGIN_ABROAD && o != customsv1.RepairOrigin_REPAIR_ORIGIN_DOMESTIC {
					return usagef("--part %d:%s: the origin is abroad (bonded parts) or domestic", u.GetBookSeq(), u.GetQuantity())
				}
			}
			return nil
		}}, repairOrderView)
}

func (a *app) repairRemoveCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "remove", method: customsv1.RepairService_RemoveRepairParts_FullMethodName,
		short:   "Book old/bad parts (旧件/坏件) and scrap (维修边角料) taken out of the order's goods",
		example: `  zonectl customs repair remove WXH31050000003260000001 --key x1 --old 4:1:1200.00 --scrap 5:0.25`,
		bind:    "ORDER=step.order_no old=removed(book_seq:quantity:value) scrap=removed(book_seq:quantity:value)+removed.scrap=true",
		check: func(req proto.Message, _ []string) error {
			// Old parts first, then scrap, in whatever order the flags
			// came: the request the step's key was always filed with.
			slices.SortStableFunc(req.(*customsv1.RemoveRepairPartsRequest).Removed, func(x, y *customsv1.RepairRemoved) int {
				return cmp.Compare(btoi(x.GetScrap()), btoi(y.GetScrap()))
			})
			return nil
		}}, repairOrderView)
}

// btoi is 1 for true, 0 for false.
func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (a *app) repairFinishCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "finish", method: customsv1.RepairService_FinishRepair_FullMethodName,
		short:   "Move the order's goods to repaired (remanufactured) and unrepairable",
		example: `  zonectl customs repair finish WXH31050000003260000001 --key f1 --repaired 1`,
		bind:    "ORDER=step.order_no repaired=repaired?0 unrepairable=unrepairable?0"}, repairOrderView)
}

func (a *app) repairExitCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "exit", method: customsv1.RepairService_ExitRepairGoods_FullMethodName,
		short: "Book goods of an order leaving the repair book, the way the rules allow",
		more:  `The order's bindings: 'zonectl customs repair get ORDER --bindings'.`,
		example: `  zonectl customs repair exit WXH31050000003260000001 --key e1 --section old-parts --line 4 --quantity 1 \
      --way re-export --reference QD310526E000000009
  zonectl customs repair exit WXH31050000003260000002 --key e2 --section old-parts --line 5 --quantity 1 \
      --way gate-registration --reference HF310526E000000012`,
		bind: "ORDER=step.order_no section=section!"}, repairOrderView)
}

// repairTrailView prints an order's opening and each step after it, with
// its journal.
var repairTrailView = view[*customsv1.RepairOrder]{header: []string{"order_no", "key", "kind", "date", "journal_id", "filed_by", "detail"},
	rows: func(o *customsv1.RepairOrder) [][]string {
		rows := [][]string{{o.GetOrderNo(), o.GetInnerNo(), "OPEN", o.GetDate(), idOf(o.GetJournalIds(), 0), o.GetFiledBy(), o.GetListNo()}}
		for _, s := range o.GetSteps() {
			rows = append(rows, []string{o.GetOrderNo(), s.GetKey(), s.GetKind(), s.GetDate(), strconv.FormatInt(s.GetJournalId(), 10), s.GetFiledBy(), s.GetDetail()})
		}
		return rows
	}}

// repairBindingView prints the document lines an order's goods are bound
// to, one row each.
var repairBindingView = view[*customsv1.RepairOrder]{header: []string{"order_no", "document", "document_no", "line", "section", "book_seq", "quantity", "step", "released"},
	rows: func(o *customsv1.RepairOrder) [][]string {
		var rows [][]string
		for _, b := range o.GetBindings() {
			rows = append(rows, []string{o.GetOrderNo(), b.GetDocument(), b.GetDocumentNo(), strconv.Itoa(int(b.GetLine())), enumName(b.GetSection(), "REPAIR_SECTION_"),
				strconv.Itoa(int(b.GetBookSeq())), b.GetQuantity(), b.GetStep(), b.GetReleased()})
		}
		return rows
	}}

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
			v := repairOrderView
			switch {
			case trail && bindings:
				return usagef("give --trail or --bindings, not both")
			case trail:
				v = repairTrailView
			case bindings:
				v = repairBindingView
			}
			return sendShow(a, cmd, v, customsv1.RepairServiceClient.GetRepairOrder, &customsv1.GetRepairOrderRequest{OrderNo: args[0]})
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
	return rpcCmd(a, rpcSpec{use: "overdue", method: customsv1.RepairService_ListOverdueRepairOrders_FullMethodName,
		short: "List open repair orders past their due day: one book's, or every book you read (customs: the zone)",
		example: `  zonectl customs repair overdue
  zonectl customs repair overdue --book H31050000003 --as-of 2027-12-31`}, repairOrderView)
}

func (a *app) repairStockCmd() *cobra.Command {
	var all bool
	c := rpcCmd(a, rpcSpec{use: "stock", method: customsv1.RepairService_GetRepairStock_FullMethodName,
		short: "Show a repair book's stock per line, section and origin (non-zero ones unless --all)",
		example: `  zonectl customs repair stock H31050000003
  zonectl customs repair stock H31050000003 --as-of 2026-12-01`,
		bind: "BOOK=book_no"}, view[*customsv1.GetRepairStockResponse]{header: []string{"line", "name", "unit", "section", "origin", "quantity"},
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
		}})
	c.Flags().BoolVar(&all, "all", false, "show zero quantities too")
	return c
}

func (a *app) repairRectifyCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "rectification", method: customsv1.RepairService_SetRectification_FullMethodName,
		short: "Put an enterprise under rectification (no new repair orders) or lift it (customs)",
		example: `  zonectl customs repair rectification 91310000MA1K000019 --on --note "premises not separated"
  zonectl customs repair rectification 91310000MA1K000019 --off`,
		bind: "ENTERPRISE=enterprise on|off=under_rectification",
		write: func(req, resp proto.Message) error { // the answer is empty: the row says what was set
			r := req.(*customsv1.SetRectificationRequest)
			return output.One(a.stdout, a.format, resp, []string{"enterprise", "under_rectification"},
				[]string{r.GetEnterprise(), strconv.FormatBool(r.GetUnderRectification())})
		}}, view[*customsv1.SetRectificationResponse]{})
}
