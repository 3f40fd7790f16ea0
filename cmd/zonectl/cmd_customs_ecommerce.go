package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"github.com/spf13/cobra"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/zoneledger/zoneledger/cmd/zonectl/internal/input"
	"github.com/zoneledger/zoneledger/cmd/zonectl/internal/output"
	"github.com/zoneledger/zoneledger/cmd/zonectl/internal/post"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// Cross-border e-commerce bonded import (网购保税进口, trade mode 1210):
// EcommerceService. Customs registers an e-commerce enterprise's channel;
// the platform sends the order, payment slip and waybill of each order (三单)
// in any order, in batches of up to 100 (SubmitDocuments); once all three
// are in, the zone matches them and releases the inventory list (申报清单).

func (a *app) ecommerceCmd() *cobra.Command {
	c := group("ecommerce", "Cross-border e-commerce bonded import (网购保税进口, 1210): channels, the three documents, orders, inventory lists, returns, settlement",
		group("channel", "Register and show an e-commerce enterprise's channel (platform, warehouse book, tax guarantor)",
			a.ecomChannelRegisterCmd(), a.ecomChannelGetCmd()),
		a.ecomSubmitCmd(), a.ecomImportCmd(),
		group("order", "Show and cancel orders", a.ecomOrderGetCmd(), a.ecomOrderCancelCmd()),
		group("inventory", "Show inventory lists (申报清单)", a.ecomInventoryGetCmd()),
		group("return", "Apply for and receive returns (退货) of released lists", a.ecomReturnRequestCmd(), a.ecomReturnReceiveCmd()),
		a.ecomSettleCmd(), a.ecomPayTaxCmd(), a.ecomMessageCmd(), a.ecomReceiptsCmd())
	c.Long = `Cross-border e-commerce bonded import (网购保税进口, trade mode 1210) from a
zone warehouse:

  channel    customs registers how an e-commerce enterprise sells: through a
             platform, from a warehouse's book, with a tax guarantor
  submit     the platform sends the order (订单), payment slip (支付单) and
             waybill (运单) of each order, in any order, from a file; once the
             three are in they are matched and the inventory list (申报清单)
             is released: the tax assessed and checked against the tax the
             platform withheld, the goods deducted from the warehouse's book
  import     the same from single-window XML messages (CEB311, CEB411,
             CEB511) as they are: files or folders of .xml files
  order      show or cancel an order (only a PENDING or REJECTED one)
  inventory  show an inventory list; its number is "QL" + the order number
  return     apply for the return (退货) of a released list's goods and book
             them back into bonded stock: the tax is cancelled
  settle     a guarantor's tax for a period, as a table or a CSV or XLSX file
  pay-tax    customs records the guarantor's payment of the lists' tax
  message    a released list as its CEB621 message (XML)
  receipts   customs imports its CEB622 receipts: a 退单 gives the stock back

Every document is keyed by its order number: sending the same document again
returns the order as it stands, so re-running a file is safe; a different
document under a used number is refused (DUPLICATE_DOCUMENT_NUMBER).

Who may do what: customs (or an admin) registers channels; a platform linked
to the e-commerce enterprise (or the enterprise itself) submits, cancels and
returns; customs and the guarantor's own enterprise read settlements.`
	return c
}

// Views: the table and CSV columns. Statuses print without their prefix
// (RELEASED), decimals as the server sent them.

var (
	ecomChannelView  = cols[*customsv1.Channel]("enterprise", "name", "platform", "book_no", "guarantor")
	ecomOrderColumns = []string{"order_no", "enterprise", "status", "list_no", "reason", "buyer=buyer.name", "goods_value", "freight",
		"insurance", "discount", "tax_total", "actual_paid", "created_at", "reason_message"}
	// An order in one row (cancel), or one row per line (get).
	ecomOrderView      = cols[*customsv1.Order](append(ecomOrderColumns, "len:lines")...)
	ecomOrderLinesView = flat[*customsv1.Order](ecomOrderColumns, "lines", "line=#1", "item_no", "name", "quantity", "price", "total")
	ecomListColumns    = []string{"list_no", "order_no", "enterprise", "platform", "book_no", "guarantor", "buyer_id", "status", "rule",
		"dutiable_value", "duty", "consumption_tax", "vat", "tax", "released_on", "journal_id?", "return_applied_on", "returned_on",
		"return_journal_id?", "reason"}
	// An inventory list in one row (returns), or one row per line (get).
	// The tax payment's columns come last, so earlier columns keep their places.
	ecomListView      = cols[*customsv1.InventoryList](append(ecomListColumns, "len:lines", "tax_payment_no", "tax_paid_on", "customs_status", "customs_status_code", "customs_invt_no")...)
	ecomListLinesView = flat[*customsv1.InventoryList](ecomListColumns, "lines", "seq", "item_no", "book_seq?", "hs_code", "name",
		"quantity", "unit", "legal_quantity", "legal_unit", "price", "total", "^tax_payment_no", "^tax_paid_on", "^customs_status", "^customs_status_code")
)

// ecomSettleHeader are the columns of the settlement, as in the file the
// server exports: one row per list with its payment (its tax is paid or
// unpaid as a whole), then a TOTAL row (guarantor, period, tax due, paid,
// unpaid).
var ecomSettleHeader = []string{"list_no", "order_no", "buyer_id", "released_on", "due_on", "duty", "consumption_tax", "vat", "tax", "final",
	"tax_payment_no", "tax_paid_on", "paid", "unpaid"}

func ecomSettleRows(s *customsv1.Settlement) [][]string {
	rows := make([][]string, 0, len(s.GetLines())+1)
	for _, l := range s.GetLines() {
		paid, unpaid := "0.00", l.GetTax()
		if l.GetTaxPaymentNo() != "" {
			paid, unpaid = l.GetTax(), "0.00"
		}
		rows = append(rows, []string{l.GetListNo(), l.GetOrderNo(), l.GetBuyerId(), l.GetReleasedOn(), l.GetDueOn(), l.GetDuty(),
			l.GetConsumptionTax(), l.GetVat(), l.GetTax(), strconv.FormatBool(l.GetFinal()), l.GetTaxPaymentNo(), l.GetTaxPaidOn(), paid, unpaid})
	}
	return append(rows, []string{"TOTAL", s.GetGuarantor(), "", s.GetFromDate(), s.GetToDate(), "", "", "", s.GetTax(), "", "", "", s.GetPaid(), s.GetUnpaid()})
}

// Channels.

func (a *app) ecomChannelRegisterCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "register", method: customsv1.EcommerceService_RegisterChannel_FullMethodName,
		short: "Register how an e-commerce enterprise sells (customs or admin)",
		example: `  zonectl customs ecommerce channel register --enterprise 91310115MA1K000029 --platform TMALL \
      --book H31050000001 --guarantor 91310115MA1K000029 --name "Cross-border Shop"`}, ecomChannelView)
}

func (a *app) ecomChannelGetCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "get", method: customsv1.EcommerceService_GetChannel_FullMethodName,
		short:   "Show an e-commerce enterprise's channel",
		example: "  zonectl customs ecommerce channel get 91310115MA1K000029",
		bind:    "USCC=enterprise"}, ecomChannelView)
}

// Orders, inventory lists, returns: each takes several numbers, one call
// each, in order; the first refusal stops.

func (a *app) ecomOrderGetCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "get", method: customsv1.EcommerceService_GetOrder_FullMethodName,
		short: "Show orders with their status and list (one row per order line)",
		more: `Table and CSV print one row per order line; -o json prints the whole Order.
Several orders: one after the other; the first error stops.`,
		example: `  zonectl customs ecommerce order get EC-0001
  zonectl customs ecommerce order get EC-0001 EC-0002 -o csv`,
		bind: "ORDER...=order_no"}, ecomOrderLinesView)
}

func (a *app) ecomOrderCancelCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "cancel", method: customsv1.EcommerceService_CancelOrder_FullMethodName,
		short:   "Cancel PENDING or REJECTED orders (safe to repeat)",
		more:    `Several orders: in order; the first refusal stops.`,
		example: "  zonectl customs ecommerce order cancel EC-0004",
		bind:    "ORDER...=order_no"}, ecomOrderView)
}

func (a *app) ecomInventoryGetCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "get", method: customsv1.EcommerceService_GetInventoryList_FullMethodName,
		short: "Show inventory lists (申报清单): tax, release, return (one row per line)",
		more: `Several lists: one after the other. Table and CSV print one row per line;
-o json prints the whole InventoryList.`,
		example: "  zonectl customs ecommerce inventory get QLEC-0001",
		bind:    "LIST...=list_no"}, ecomListLinesView)
}

func (a *app) ecomReturnRequestCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "request", method: customsv1.EcommerceService_RequestReturn_FullMethodName,
		short: "Apply for the return (退货) of released lists' goods (safe to repeat)",
		more: `--line names lines of one LIST, each once. Several lists: in order; the first
refusal stops.`,
		example: `  zonectl customs ecommerce return request QLEC-0001
  zonectl customs ecommerce return request QLEC-0002 --line 1=2 --line 3=0.5`,
		bind: "LIST...=list_no line=lines(seq=quantity)",
		check: func(req proto.Message, args []string) error {
			lines := req.(*customsv1.RequestReturnRequest).GetLines()
			if len(lines) > 0 && len(args) > 1 {
				return usagef("--line names lines of one list; give one LIST with it")
			}
			seen := map[int32]bool{}
			for _, l := range lines {
				if q, msg := input.Decimal(l.GetQuantity()); msg != "" || !q.IsPositive() {
					return usagef("--line %d=%s: the quantity must be a decimal number > 0", l.GetSeq(), l.GetQuantity())
				} else if seen[l.GetSeq()] {
					return usagef("--line %d=%s: line %d is named twice", l.GetSeq(), l.GetQuantity(), l.GetSeq())
				}
				seen[l.GetSeq()] = true
			}
			return nil
		}}, ecomListView)
}

func (a *app) ecomReturnReceiveCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "receive", method: customsv1.EcommerceService_ReceiveReturn_FullMethodName,
		short:   "Book returned goods back into bonded stock; the tax is cancelled (safe to repeat)",
		more:    `Several lists: in order; the first refusal stops.`,
		example: "  zonectl customs ecommerce return receive QLEC-0001",
		bind:    "LIST...=list_no"}, ecomListView)
}

// Settlement.

func (a *app) ecomSettleCmd() *cobra.Command {
	var guarantor, from, to, export, out string
	return leaf(&cobra.Command{
		Use:   "settle --guarantor CODE --from DATE --to DATE [--export csv|xlsx --out FILE]",
		Short: "A guarantor's tax for a period: the released lists, the tax due and when",
		Long: `List a guarantor's inventory lists released from --from to --to (business
dates, inclusive) and not returned, with each list's tax, the last day to pay
it (due_on), whether the return window has closed (final), and the payment
customs recorded for it (tax_payment_no, tax_paid_on; its tax in paid or
unpaid), then a TOTAL row with the guarantor, the period and the tax due,
paid and unpaid. Customs, or the guarantor's own enterprise, may ask.

With --export csv or xlsx the server writes the settlement as a file (CSV
rows as the table; an XLSX workbook with one sheet "Settlement", amounts as
text) and zonectl writes its bytes to --out FILE (--out - for standard
output) instead of printing the table; stderr says what was written. The
format may also come from --out's extension (.csv, .xlsx).`,
		Example: `  zonectl customs ecommerce settle --guarantor 91310115MA1K000029 --from 2026-11-01 --to 2026-11-30
  zonectl customs ecommerce settle --guarantor 91310115MA1K000029 --from 2026-11-01 --to 2026-11-30 \
      --export xlsx --out settlement-2026-11.xlsx`,
		RunE: a.act(func(cmd *cobra.Command, _ []string) error {
			if from > to {
				return usagef("--from %s is after --to %s", from, to)
			}
			var ex int32
			if export == "" && out != "" && out != "-" {
				switch strings.ToLower(filepath.Ext(out)) {
				case ".csv":
					export = "csv"
				case ".xlsx":
					export = "xlsx"
				default:
					return usagef("--out %q: give --export csv or xlsx (or name the file .csv or .xlsx)", out)
				}
			}
			if export != "" {
				var err error
				if ex, err = parseEnum("--export", export, customsv1.SettlementExport_value, "SETTLEMENT_EXPORT_"); err != nil {
					return err
				}
				if out == "" {
					return usagef("--export %s: give --out FILE for the file (--out - for standard output)", export)
				}
			}
			resp, err := call(a, cmd.Context(), func(ctx context.Context, c *clients) (*customsv1.GetSettlementResponse, error) {
				return c.ecommerce.GetSettlement(ctx, &customsv1.GetSettlementRequest{Guarantor: guarantor, FromDate: from, ToDate: to,
					Export: customsv1.SettlementExport(ex)})
			})
			if err != nil {
				return err
			}
			s := resp.GetSettlement()
			if ex == 0 {
				return output.One(a.stdout, a.format, s, ecomSettleHeader, ecomSettleRows(s)...)
			}
			if len(resp.GetFile()) == 0 {
				return fmt.Errorf("the server sent no %s file", strings.ToUpper(export))
			}
			if out == "-" {
				_, err := a.stdout.Write(resp.GetFile())
				return err
			}
			if err := os.WriteFile(out, resp.GetFile(), 0o666); err != nil {
				return fmt.Errorf("writing the settlement: %w", err)
			}
			a.note("%s: %d bytes (%s, the server's name %s): %d lists released %s to %s, guarantor %s, tax %s CNY (paid %s, unpaid %s)",
				out, len(resp.GetFile()), resp.GetContentType(), resp.GetFileName(), len(s.GetLines()), s.GetFromDate(), s.GetToDate(),
				s.GetGuarantor(), s.GetTax(), s.GetPaid(), s.GetUnpaid())
			return nil
		}),
	}, flagSpec{&guarantor, "guarantor", "the guarantor's code (required)"},
		flagSpec{ymd(&from), "from", "first release date, YYYY-MM-DD (required)"},
		flagSpec{ymd(&to), "to", "last release date, inclusive, YYYY-MM-DD (required)"},
		flagSpec{&export, "export", "have the server write the settlement as a csv or xlsx file (with --out)"},
		flagSpec{&out, "out", "write the exported file here (- for standard output) instead of printing the table"})
}

// Submitting documents.

// ecomMaxBatch is the most documents one SubmitDocuments call takes.
const ecomMaxBatch = 100

const ecomSubmitLong = `Send the orders (订单), payment slips (支付单) and waybills (运单) of a file, in
any order, with SubmitDocuments, up to 100 per call (--batch), one call after
the other, with a progress bar on stderr when there are more than 100. The
zone takes the documents of one order in file order; once an order's three
documents are in, they are matched and its inventory list is released (or
the order REJECTED with the reason).

The whole file is checked first (syntax, kinds, required fields, decimals,
身份证 numbers, line totals = price x quantity, goods_value = the lines'
total, actual_paid = goods_value + freight + tax_total - discount, each
document once); a mistake is reported with its line and field (JSON) or row
and column (CSV), and nothing is sent (exit code 2). --dry-run only checks.

Then zonectl prints one row per document: kind, order_no, status (the order's
as it stands after the document: PENDING, RELEASED, REJECTED, CANCELLED;
RECEIVED for a payment or waybill whose order has not arrived; REFUSED),
list_no, reason, field, message and where the document is in the file; a
summary goes to stderr. -o json prints one report object, -q only the
numbers of the released lists. The exit code is 1 if a document was refused,
an order is REJECTED or the run stopped early.

RE-RUNNING THE SAME FILE IS SAFE: each document is keyed by its kind and
order number; one received before comes back with its order as it stands.
After a timeout, an UNAVAILABLE server or an interrupted run, send the file
again. A different document under a used number is refused
(DUPLICATE_DOCUMENT_NUMBER).

JSON (.jsonl, .json): one object per document (JSON Lines), an array of
them or one object. "kind" says which: order, payment or waybill; the other
fields are the request's (SubmitOrderRequest, SubmitPaymentRequest,
SubmitWaybillRequest in proto/zoneledger/customs/v1/ecommerce.proto), with
proto or JSON names; decimals are strings. The proto's own form
{"order": {...}} (EcommerceDocument) is accepted too.

  {"kind": "order", "order_no": "EC-0001", "enterprise": "91310115MA1K000029",
   "buyer": {"name": "王小明", "id_number": "310115199003070017", "phone": "13900000001", "address": "..."},
   "consignee": {"name": "王小明", "phone": "13900000001", "address": "..."},
   "goods_value": "3000.00", "freight": "10.00", "tax_total": "273.91", "actual_paid": "3283.91",
   "lines": [{"item_no": "NB-14-SILVER", "name": "Notebook", "quantity": "1", "price": "3000.00", "total": "3000.00"}]}
  {"kind": "payment", "order_no": "EC-0001", "enterprise": "91310115MA1K000029", "pay_code": "ALIPAY",
   "transaction_id": "2026112722001400001", "payer": {"name": "王小明", "id_number": "310115199003070017"},
   "amount": "3283.91", "paid_at": "2026-11-27T10:15:00+08:00"}
  {"kind": "waybill", "order_no": "EC-0001", "enterprise": "91310115MA1K000029", "logistics_no": "SF1000000001",
   "logistics_code": "SF", "consignee": {"name": "王小明", "phone": "13900000001", "address": "..."}}

CSV: a header, then one row per document; an order has one row per line
(rows with kind order and the same order_no, which must agree on the order's
columns). Columns (any order, case-insensitive; unused ones may be left out;
a row leaves the other kinds' columns empty):

  all       kind, order_no, enterprise (required)
  order     buyer_name, buyer_id_number, buyer_phone, buyer_address,
            consignee_name, consignee_phone, consignee_address, goods_value,
            freight, insurance, discount, tax_total, actual_paid,
            identity_proof; the line: item_no, item_name, quantity, price, total
  payment   pay_code, transaction_id, payer_name, payer_id_number,
            payer_phone, payer_address, amount, paid_at (RFC 3339)
  waybill   logistics_no, logistics_code, consignee_name, consignee_phone,
            consignee_address`

func (a *app) ecomSubmitCmd() *cobra.Command {
	var ff fileFlags
	var batch int
	c := &cobra.Command{
		Use:   "submit --file FILE",
		Short: "Send orders, payments and waybills (三单) from a JSON Lines or CSV file (safe to re-run)",
		Long:  ecomSubmitLong,
		Example: `  zonectl customs ecommerce submit --file ecommerce-docs.jsonl
  zonectl customs ecommerce submit --file ecommerce-docs.csv -o csv > results.csv
  zonectl customs ecommerce submit --file day.jsonl --dry-run
  LISTS=$(zonectl customs ecommerce submit --file day.jsonl -q)`,
		Args: exactArgs(0, "no arguments (the documents go in --file)"),
		RunE: a.act(func(cmd *cobra.Command, _ []string) error {
			if batch < 1 || batch > ecomMaxBatch {
				return usagef("--batch %d: give 1 to %d", batch, ecomMaxBatch)
			}
			docs, err := readFileFlag(a, &ff, func(r io.Reader, name string, format input.FileFormat) ([]ecomDoc, error) {
				data, err := io.ReadAll(r)
				if err != nil {
					return nil, err
				}
				return readEcomDocs(data, name, format)
			})
			if err != nil {
				return err
			}
			if ff.dryRun {
				n := map[string]int{}
				for _, d := range docs {
					n[d.kind()]++
				}
				a.note("%s: %s (%s, %s, %s), well-formed; nothing sent (--dry-run)",
					ff.file, ecomCounted(len(docs), "document"), ecomCounted(n["order"], "order"), ecomCounted(n["payment"], "payment"), ecomCounted(n["waybill"], "waybill"))
				return nil
			}
			cl, err := a.connect()
			if err != nil {
				return err
			}
			set, end := a.progress(!ff.noProgress && len(docs) > ecomMaxBatch, len(docs), "documents")
			s := &ecomSender{a: a, c: cl.ecommerce, docs: docs, out: make([]ecomOutcome, len(docs))}
			stopErr := s.send(cmd.Context(), batch, set)
			end()
			rep := ecomReport{file: ff.file, docs: docs, out: s.out}
			if err := a.printEcomReport(rep, ff.quiet); err != nil {
				return err
			}
			if stopErr != nil {
				return fmt.Errorf("stopped with %d of %d documents answered (re-running the file is safe): %w",
					len(docs)-rep.count(ecomUnanswered), len(docs), stopErr)
			}
			if rep.count(ecomRefused) > 0 || rep.orders()["REJECTED"] > 0 {
				return errReported
			}
			return nil
		}),
	}
	ff.register(c, "document (.jsonl, .json or .csv)", true)
	c.Flags().IntVar(&batch, "batch", ecomMaxBatch, "documents per SubmitDocuments call, 1 to 100")
	addQuiet(c, &ff.quiet, "released inventory list")
	return c
}

// ecomCounted is "1 order", "3 orders".
func ecomCounted(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// ecomDoc is one document of a file, with where it is.
type ecomDoc struct {
	doc *customsv1.EcommerceDocument
	// index is the 1-based position of the document in the file.
	index int
	// rows are the line the JSON object starts on, or every CSV row of the
	// document.
	rows []int
	// lineRows are the CSV row of each order line.
	lineRows []int
	csv      bool
}

func (d ecomDoc) kind() string { return ecomKind(d.doc) }

// ecomBody is the document's kind (the name of its oneof field: order,
// payment or waybill) and request; "" and nil when it has none.
func ecomBody(doc *customsv1.EcommerceDocument) (string, proto.Message) {
	m := doc.ProtoReflect()
	if f := m.WhichOneof(m.Descriptor().Oneofs().ByName("document")); f != nil {
		return string(f.Name()), m.Get(f).Message().Interface()
	}
	return "", nil
}

func ecomKind(doc *customsv1.EcommerceDocument) string {
	kind, _ := ecomBody(doc)
	return kind
}

// orderNo is the number of the order the document is for.
func (d ecomDoc) orderNo() string {
	if _, req := ecomBody(d.doc); req != nil {
		return strings.TrimSpace(req.(interface{ GetOrderNo() string }).GetOrderNo())
	}
	return ""
}

// source is where the document is: "line 3", "row 4", "rows 2-3, 7".
func (d ecomDoc) source() string {
	switch {
	case len(d.rows) == 0:
		return fmt.Sprintf("document %d", d.index)
	case !d.csv:
		return fmt.Sprintf("line %d", d.rows[0])
	case len(d.rows) == 1:
		return fmt.Sprintf("row %d", d.rows[0])
	}
	return "rows " + input.Spans(d.rows, ", ")
}

// locate narrows source with the field the server blamed: for CSV the row
// of an order line and the column, e.g. `row 4, column "quantity"`.
func (d ecomDoc) locate(field string) string {
	if !d.csv || field == "" {
		return d.source()
	}
	where := d.source()
	if i, _, ok := lineIndex(field); ok && i < len(d.lineRows) {
		where = fmt.Sprintf("row %d", d.lineRows[i])
	}
	// A refusal of the matching may name another document's field (a
	// waybill completing an order whose payment is short: "amount").
	if col := ecomColumn(field); col != "" && (slices.Contains(ecomCSVCommon, col) || slices.Contains(ecomCSVKinds[d.kind()], col)) {
		where += fmt.Sprintf(", column %q", col)
	}
	return where
}

// The CSV form: one row per document (per line of an order).
var (
	ecomCSVCommon  = []string{"kind", "order_no", "enterprise"}
	ecomCSVPersons = map[string][]string{
		"buyer":     {"buyer_name", "buyer_id_number", "buyer_phone", "buyer_address"},
		"consignee": {"consignee_name", "consignee_phone", "consignee_address"},
		"payer":     {"payer_name", "payer_id_number", "payer_phone", "payer_address"},
	}
	// ecomCSVOrderHead are the order's own columns: equal on every row of an order.
	ecomCSVOrderHead = slices.Concat(ecomCSVPersons["buyer"], ecomCSVPersons["consignee"],
		[]string{"goods_value", "freight", "insurance", "discount", "tax_total", "actual_paid", "identity_proof"})
	ecomCSVOrderLine = []string{"item_no", "item_name", "quantity", "price", "total"}
	// ecomCSVKinds are the columns a row of each kind may fill besides the common ones.
	ecomCSVKinds = map[string][]string{
		"order":   slices.Concat(ecomCSVOrderHead, ecomCSVOrderLine),
		"payment": slices.Concat([]string{"pay_code", "transaction_id"}, ecomCSVPersons["payer"], []string{"amount", "paid_at"}),
		"waybill": slices.Concat([]string{"logistics_no", "logistics_code"}, ecomCSVPersons["consignee"]),
	}
	ecomCSVColumns = slices.Concat(ecomCSVCommon, ecomCSVOrderHead, ecomCSVOrderLine, ecomCSVKinds["payment"], []string{"logistics_no", "logistics_code"})
)

// ecomColumn is the CSV column of a request field ("buyer.id_number" ->
// "buyer_id_number", "lines[0].name" -> "item_name"); "" if none.
func ecomColumn(field string) string {
	if _, rest, ok := lineIndex(field); ok {
		if rest == "name" {
			return "item_name"
		}
		if slices.Contains(ecomCSVOrderLine, rest) {
			return rest
		}
		return ""
	}
	if _, ok := ecomCSVPersons[field]; ok {
		return field + "_name"
	}
	col := strings.ReplaceAll(field, ".", "_")
	if slices.Contains(ecomCSVColumns, col) {
		return col
	}
	return ""
}

// readEcomDocs reads and checks the documents of a file: JSON (an object,
// an array or JSON Lines) or CSV.
func readEcomDocs(data []byte, name string, format input.FileFormat) ([]ecomDoc, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if format == "" || format == input.Auto {
		format = input.Detect(name, data)
	}
	var docs []ecomDoc
	var err error
	if format == input.JSONFormat {
		docs, err = ecomDocsJSON(data, name)
	} else {
		docs, err = ecomDocsCSV(data, name)
	}
	if err != nil {
		return nil, err
	}
	seen := map[string]ecomDoc{}
	for _, d := range docs {
		field, msg := checkEcomDoc(d.doc)
		if msg == "" {
			key := d.kind() + "\x00" + d.orderNo()
			if first, dup := seen[key]; dup {
				field, msg = "order_no", fmt.Sprintf("a %s for order %q is already on %s; each document appears once in a file", d.kind(), d.orderNo(), first.source())
			}
			seen[key] = d
		}
		if msg == "" {
			continue
		}
		e := &input.Error{File: name, Line: d.rows[0], CSV: d.csv, Msg: msg}
		if !d.csv {
			e.Field = field
			return nil, e
		}
		if i, _, ok := lineIndex(field); ok && i < len(d.lineRows) {
			e.Line = d.lineRows[i]
		}
		if e.Column = ecomColumn(field); e.Column == "" && field != "" {
			e.Msg = field + ": " + msg
		}
		return nil, e
	}
	return docs, nil
}

var protojsonPosition = regexp.MustCompile(`\(line [0-9]+:[0-9]+\):[\s\x{00a0}]*`)

// protojsonMsg is input.ProtojsonMessage without the position inside the
// object, which protojson counts from the object's start (zonectl names the
// file's line).
func protojsonMsg(err error) string {
	return strings.TrimSpace(protojsonPosition.ReplaceAllString(input.ProtojsonMessage(err), ""))
}

// ecomDocsJSON reads one object, an array of them, or JSON Lines.
func ecomDocsJSON(data []byte, name string) ([]ecomDoc, error) {
	var out []ecomDoc
	err := input.JSONObjects(data, name, "documents", func(raw json.RawMessage, line int) error {
		if !input.IsObject(raw) {
			return &input.Error{File: name, Line: line, Msg: `expected a JSON object: a document with "kind": "order", "payment" or "waybill"`}
		}
		doc, field, msg := ecomDocJSON(raw)
		if msg != "" {
			return &input.Error{File: name, Line: line, Field: field, Msg: msg}
		}
		out = append(out, ecomDoc{doc: doc, index: len(out) + 1, rows: []int{line}})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, &input.Error{File: name, Msg: "no documents in the file"}
	}
	return out, nil
}

// ecomDocJSON reads one document: the request's fields with "kind", or an
// EcommerceDocument ({"order": {...}}). Unknown fields are refused.
func ecomDocJSON(raw []byte) (doc *customsv1.EcommerceDocument, field, msg string) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return nil, "", "invalid JSON: " + err.Error()
	}
	k, hasKind := obj["kind"]
	if !hasKind {
		_, o := obj["order"]
		_, p := obj["payment"]
		_, w := obj["waybill"]
		if !o && !p && !w {
			return nil, "kind", `is missing: write "kind": "order", "payment" or "waybill" beside the document's fields`
		}
		doc = &customsv1.EcommerceDocument{}
		if err := protojson.Unmarshal(raw, doc); err != nil {
			return nil, "", protojsonMsg(err)
		}
		return doc, "", ""
	}
	var kind string
	if err := json.Unmarshal(k, &kind); err != nil {
		return nil, "kind", "must be a string: order, payment or waybill"
	}
	field = strings.ToLower(strings.TrimSpace(kind))
	if field != "order" && field != "payment" && field != "waybill" {
		return nil, "kind", fmt.Sprintf("%q is not a document kind; write order, payment or waybill", kind)
	}
	// {"kind": "order", ...} is the EcommerceDocument {"order": {...}}.
	delete(obj, "kind")
	body, err := json.Marshal(map[string]any{field: obj})
	if err != nil {
		return nil, "", "invalid JSON: " + err.Error()
	}
	doc = &customsv1.EcommerceDocument{}
	if err := protojson.Unmarshal(body, doc); err != nil {
		return nil, "", protojsonMsg(err)
	}
	return doc, "", ""
}

// ecomDocsCSV reads the CSV form.
func ecomDocsCSV(data []byte, name string) ([]ecomDoc, error) {
	t, err := input.OpenCSV(bytes.NewReader(data), name, ecomCSVColumns, nil)
	if err != nil {
		return nil, err
	}
	for _, c := range ecomCSVCommon {
		if !t.Has(c) {
			return nil, &input.Error{File: name, CSV: true, Line: 1, Msg: fmt.Sprintf("the header has no %q column; kind, order_no and enterprise are required", c)}
		}
	}
	type orderGroup struct {
		doc   *ecomDoc
		first map[string]string // the order's columns on its first row
		row   int
	}
	orders := map[string]*orderGroup{}
	others := map[string]*ecomDoc{}
	var out []*ecomDoc
	for {
		rw, err := t.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		line, get, rowErr := rw.Line(), rw.Get, rw.Errorf
		kind := strings.ToLower(get("kind"))
		allowed, ok := ecomCSVKinds[kind]
		if !ok {
			if kind == "" {
				return nil, rowErr("kind", "is empty; write order, payment or waybill")
			}
			return nil, rowErr("kind", "%q is not a document kind; write order, payment or waybill", get("kind"))
		}
		for _, c := range t.Columns() {
			if get(c) != "" && !slices.Contains(ecomCSVCommon, c) && !slices.Contains(allowed, c) {
				return nil, rowErr(c, "is %q, but the column is for %s rows; leave it empty on a%s %s row",
					get(c), ecomCSVKindsOf(c), map[bool]string{true: "n", false: ""}[kind == "order"], kind)
			}
		}
		no := get("order_no")
		if no == "" {
			return nil, rowErr("order_no", "is empty; it is required")
		}
		person := func(prefix string) *customsv1.Person {
			return &customsv1.Person{Name: get(prefix + "_name"), IdNumber: get(prefix + "_id_number"), Phone: get(prefix + "_phone"),
				Address: get(prefix + "_address")}
		}
		switch kind {
		case "order":
			g, seen := orders[no]
			if !seen {
				head := map[string]string{"enterprise": get("enterprise")}
				for _, c := range ecomCSVOrderHead {
					head[c] = get(c)
				}
				req := &customsv1.SubmitOrderRequest{OrderNo: no, Enterprise: get("enterprise"), Buyer: person("buyer"), Consignee: person("consignee"),
					GoodsValue: get("goods_value"), Freight: get("freight"), Insurance: get("insurance"), Discount: get("discount"),
					TaxTotal: get("tax_total"), ActualPaid: get("actual_paid"), IdentityProof: get("identity_proof")}
				d := &ecomDoc{doc: &customsv1.EcommerceDocument{Document: &customsv1.EcommerceDocument_Order{Order: req}}, index: len(out) + 1, csv: true}
				g = &orderGroup{doc: d, first: head, row: line}
				orders[no] = g
				out = append(out, d)
			} else {
				for _, c := range append([]string{"enterprise"}, ecomCSVOrderHead...) {
					if a, b := g.first[c], get(c); a != b {
						return nil, rowErr(c, "%q differs from %q on row %d; the rows of order %q are one order and must agree on its columns (all but %s)",
							b, a, g.row, no, strings.Join(ecomCSVOrderLine, ", "))
					}
				}
			}
			empty := true
			for _, c := range ecomCSVOrderLine {
				empty = empty && get(c) == ""
			}
			if empty {
				return nil, rowErr("item_no", "is empty; every order row is one line of the order: item_no, quantity, price and total")
			}
			o := g.doc.doc.GetOrder()
			o.Lines = append(o.Lines, &customsv1.OrderLine{ItemNo: get("item_no"), Name: get("item_name"), Quantity: get("quantity"),
				Price: get("price"), Total: get("total")})
			g.doc.rows = append(g.doc.rows, line)
			g.doc.lineRows = append(g.doc.lineRows, line)
		default:
			if first, dup := others[kind+"\x00"+no]; dup {
				return nil, rowErr("order_no", "a %s for order %q is already on row %d; each document appears once in a file", kind, no, first.rows[0])
			}
			d := &ecomDoc{index: len(out) + 1, rows: []int{line}, csv: true}
			if kind == "payment" {
				p := &customsv1.SubmitPaymentRequest{Enterprise: get("enterprise"), OrderNo: no, PayCode: get("pay_code"),
					TransactionId: get("transaction_id"), Payer: person("payer"), Amount: get("amount")}
				if s := get("paid_at"); s != "" {
					t, err := time.Parse(time.RFC3339, s)
					if err != nil {
						return nil, rowErr("paid_at", "%q is not a time; write RFC 3339, e.g. 2026-11-27T10:15:00+08:00", s)
					}
					p.PaidAt = timestamppb.New(t)
				}
				d.doc = &customsv1.EcommerceDocument{Document: &customsv1.EcommerceDocument_Payment{Payment: p}}
			} else {
				d.doc = &customsv1.EcommerceDocument{Document: &customsv1.EcommerceDocument_Waybill{Waybill: &customsv1.SubmitWaybillRequest{
					Enterprise: get("enterprise"), OrderNo: no, LogisticsNo: get("logistics_no"), LogisticsCode: get("logistics_code"),
					Consignee: person("consignee")}}}
			}
			others[kind+"\x00"+no] = d
			out = append(out, d)
		}
	}
	if len(out) == 0 {
		return nil, &input.Error{File: name, CSV: true, Msg: "no documents in the file"}
	}
	res := make([]ecomDoc, len(out))
	for i, d := range out {
		res[i] = *d
	}
	return res, nil
}

// ecomCSVKindsOf names the kinds whose rows use a column: "order and waybill".
func ecomCSVKindsOf(col string) string {
	var ks []string
	for _, k := range []string{"order", "payment", "waybill"} {
		if slices.Contains(ecomCSVKinds[k], col) {
			ks = append(ks, k)
		}
	}
	return strings.Join(ks, " and ")
}

// Client-side checks, before anything is sent: what the protos' rules
// cannot state (decimal places, line totals and the order's sums, which the
// zone would reject when matching, 身份证 numbers), then input.Validate (the
// rules: required fields, lengths, decimal syntax, 1 to 100 lines). A value
// whose syntax is wrong is left to input.Validate, which names it. Fields are
// relative to the document's request.

// ecomAmount is an amount in CNY to the fen: "" is 0; ok is false when its
// syntax is wrong (input.Validate says why).
func ecomAmount(s string) (d decimal.Decimal, ok bool, msg string) {
	if s == "" {
		return decimal.Zero, true, ""
	}
	d, why := input.Decimal(s)
	if why != "" {
		return d, false, ""
	}
	if input.Places(d) > 2 {
		return d, true, fmt.Sprintf("%q has more than 2 decimal places; amounts are CNY to the fen", s)
	}
	return d, true, ""
}

// checkEcomID checks a buyer's or payer's 身份证 number: 17 digits and a
// digit or X.
func checkEcomID(p *customsv1.Person, f string) (string, string) {
	id := p.GetIdNumber()
	ok := len(id) == 18
	for i, c := range id {
		ok = ok && (c >= '0' && c <= '9' || i == 17 && c == 'X')
	}
	switch {
	case ok:
		return "", ""
	case id == "":
		return f + ".id_number", "is required: the 身份证 number, 17 digits and a digit or X"
	}
	return f + ".id_number", fmt.Sprintf("%q is not a 身份证 number: 17 digits and a digit or X", id)
}

// checkEcomDoc checks a document and returns the field at fault and why, or
// "" when nothing is wrong.
func checkEcomDoc(d *customsv1.EcommerceDocument) (field, msg string) {
	_, req := ecomBody(d)
	switch x := req.(type) {
	case nil:
		return "kind", "give an order, a payment or a waybill"
	case *customsv1.SubmitOrderRequest:
		field, msg = checkEcomOrder(x)
	case *customsv1.SubmitPaymentRequest:
		field, msg = checkEcomPayment(x)
	}
	if msg != "" {
		return field, msg
	}
	return input.Validate(req)
}

// checkEcomOrder checks the places of an order's decimals and its sums: each
// line's total is price x quantity rounded half up to the fen, goods_value
// the lines' total, actual_paid = goods_value + freight + tax_total -
// discount. A sum is only judged when every value in it reads.
func checkEcomOrder(o *customsv1.SubmitOrderRequest) (string, string) {
	if f, m := checkEcomID(o.GetBuyer(), "buyer"); m != "" {
		return f, m
	}
	amounts := map[string]decimal.Decimal{}
	sums := true
	for _, a := range []struct{ field, value string }{{"goods_value", o.GetGoodsValue()}, {"freight", o.GetFreight()},
		{"insurance", o.GetInsurance()}, {"discount", o.GetDiscount()}, {"tax_total", o.GetTaxTotal()}, {"actual_paid", o.GetActualPaid()}} {
		d, ok, m := ecomAmount(a.value)
		if m != "" {
			return a.field, m
		}
		amounts[a.field], sums = d, sums && ok
	}
	sum := decimal.Zero
	for i, l := range o.GetLines() {
		f := fmt.Sprintf("lines[%d]", i)
		q, qm := input.Decimal(l.GetQuantity())
		p, pm := input.Decimal(l.GetPrice())
		switch {
		case qm == "" && !q.IsPositive():
			return f + ".quantity", fmt.Sprintf("%q must be greater than zero", l.GetQuantity())
		case qm == "" && input.Places(q) > 5:
			return f + ".quantity", fmt.Sprintf("%q has more than 5 decimal places", l.GetQuantity())
		case pm == "" && input.Places(p) > 4:
			return f + ".price", fmt.Sprintf("%q has more than 4 decimal places", l.GetPrice())
		}
		t, ok, m := ecomAmount(l.GetTotal())
		if m != "" {
			return f + ".total", m
		}
		if qm != "" || pm != "" || !ok || l.GetTotal() == "" {
			sums = false
			continue
		}
		if want := p.Mul(q).Round(2); !want.Equal(t) {
			return f + ".total", fmt.Sprintf("is %s; price %s x quantity %s = %s (rounded half up to the fen)", l.GetTotal(), l.GetPrice(), l.GetQuantity(), want.StringFixed(2))
		}
		sum = sum.Add(t)
	}
	if !sums || len(o.GetLines()) == 0 || o.GetGoodsValue() == "" || o.GetTaxTotal() == "" || o.GetActualPaid() == "" {
		return "", "" // input.Validate names what is missing or malformed
	}
	if !sum.Equal(amounts["goods_value"]) {
		return "goods_value", fmt.Sprintf("is %s; the lines total %s", o.GetGoodsValue(), sum.StringFixed(2))
	}
	want := amounts["goods_value"].Add(amounts["freight"]).Add(amounts["tax_total"]).Sub(amounts["discount"])
	if !want.Equal(amounts["actual_paid"]) {
		return "actual_paid", fmt.Sprintf("is %s; goods_value + freight + tax_total - discount = %s (the zone would reject the order: ACTUAL_PAID_MISMATCH)",
			o.GetActualPaid(), want.StringFixed(2))
	}
	return "", ""
}

// checkEcomPayment checks the payer's 身份证 number, the amount's places and
// the time paid.
func checkEcomPayment(p *customsv1.SubmitPaymentRequest) (string, string) {
	if f, m := checkEcomID(p.GetPayer(), "payer"); m != "" {
		return f, m
	}
	if _, _, m := ecomAmount(p.GetAmount()); m != "" {
		return "amount", m
	}
	if t := p.GetPaidAt(); t != nil {
		if t.CheckValid() != nil {
			return "paid_at", "is outside the times a payment can carry: write a time from 0001-01-01 to 9999-12-31 (UTC)"
		}
	}
	return "", ""
}

// Sending.

// ecomState is what became of a document.
type ecomState int

const (
	// ecomUnanswered: the run stopped before the document was answered.
	ecomUnanswered ecomState = iota
	// ecomAccepted: received (or received before); order is the order as it stands.
	ecomAccepted
	// ecomRefused: err says why.
	ecomRefused
)

type ecomOutcome struct {
	state ecomState
	order *customsv1.Order
	err   *customsv1.DocumentError
}

// ecomSender sends documents with SubmitDocuments and accounts for each.
// When the server refuses a whole call because of one document (it names
// documents[i]), that document is recorded as refused and the others are
// sent again; when it names none, the batch goes one document at a time.
// Transport and server failures stop the run.
type ecomSender struct {
	a    *app
	c    customsv1.EcommerceServiceClient
	docs []ecomDoc
	out  []ecomOutcome
}

func (s *ecomSender) send(ctx context.Context, batch int, progress func(int)) error {
	b := post.Batch{List: "documents", Send: s.sendBatch, Refuse: s.refuse}
	return b.Chunks(ctx, len(s.docs), batch, progress)
}

func (s *ecomSender) call(ctx context.Context, idx []int) (*customsv1.SubmitDocumentsResponse, error) {
	cctx, cancel := s.a.callCtx(ctx)
	defer cancel()
	req := &customsv1.SubmitDocumentsRequest{Documents: make([]*customsv1.EcommerceDocument, len(idx))}
	for k, i := range idx {
		req.Documents[k] = s.docs[i].doc
	}
	resp, err := s.c.SubmitDocuments(cctx, req)
	if err == nil && len(resp.GetResults()) != len(idx) {
		err = fmt.Errorf("the server answered %d results for %d documents", len(resp.GetResults()), len(idx))
	}
	return resp, err
}

// sendBatch sends the documents idx (file positions) in one call and
// records their answers; the error is the call's.
func (s *ecomSender) sendBatch(ctx context.Context, idx []int) error {
	resp, err := s.call(ctx, idx)
	if err != nil {
		return err
	}
	for k, res := range resp.GetResults() {
		if res.GetError() != nil {
			s.out[idx[k]] = ecomOutcome{state: ecomRefused, err: res.GetError()}
		} else {
			s.out[idx[k]] = ecomOutcome{state: ecomAccepted, order: res.GetOrder()}
		}
	}
	return nil
}

// refuse records a whole-call error as document i's refusal; k is its
// place in the call. The field is made relative to the document's request
// ("documents[3].order.lines[0].price" -> "lines[0].price"), as in the
// DocumentError of an answered call.
func (s *ecomSender) refuse(i int, err error, k int) {
	e := &customsv1.DocumentError{}
	e.Code, e.Reason, e.Field, e.Message = post.Batch{List: "documents"}.Refusal(err, k, s.docs[i].kind())
	s.out[i] = ecomOutcome{state: ecomRefused, err: e}
}

// Reporting.

type ecomReport struct {
	file string
	docs []ecomDoc
	out  []ecomOutcome
}

func (r ecomReport) count(s ecomState) int {
	n := 0
	for _, o := range r.out {
		if o.state == s {
			n++
		}
	}
	return n
}

// orders counts the orders of the file by their status as the last answer
// left it (PENDING also for orders whose order document has not arrived).
func (r ecomReport) orders() map[string]int {
	last := map[string]string{}
	var nos []string
	for i, d := range r.docs {
		no := d.orderNo()
		if _, ok := last[no]; !ok {
			nos = append(nos, no)
			last[no] = "PENDING"
		}
		if o := r.out[i]; o.state == ecomAccepted && o.order != nil {
			last[no] = enumName(o.order.GetStatus(), "ORDER_STATUS_")
		}
	}
	n := map[string]int{}
	for _, no := range nos {
		st := last[no]
		if st == "RELEASING" || st == "" {
			st = "PENDING"
		}
		n[st]++
	}
	return n
}

func (r ecomReport) summary() string {
	s := fmt.Sprintf("%s: %s: %d accepted, %d refused", r.file, ecomCounted(len(r.docs), "document"), r.count(ecomAccepted), r.count(ecomRefused))
	if n := r.count(ecomUnanswered); n > 0 {
		s += fmt.Sprintf(", %d unanswered (re-run the file; it is safe)", n)
	}
	n := r.orders()
	total := 0
	for _, v := range n {
		total += v
	}
	var parts []string
	for _, st := range []string{"RELEASED", "PENDING", "REJECTED", "CANCELLED"} {
		if n[st] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n[st], strings.ToLower(st)))
		}
	}
	return s + fmt.Sprintf("; %s: %s", ecomCounted(total, "order"), strings.Join(parts, ", "))
}

func ecomStatus(o ecomOutcome) string {
	switch {
	case o.state == ecomUnanswered:
		return "UNANSWERED"
	case o.state == ecomRefused:
		return "REFUSED"
	case o.order == nil:
		return "RECEIVED"
	}
	return enumName(o.order.GetStatus(), "ORDER_STATUS_")
}

var ecomResultHeader = []string{"kind", "order_no", "status", "list_no", "reason", "field", "message", "source"}

func ecomResultRow(d ecomDoc, o ecomOutcome) []string {
	if o.err != nil {
		return []string{d.kind(), d.orderNo(), ecomStatus(o), "", o.err.GetReason(), o.err.GetField(), o.err.GetMessage(), d.locate(o.err.GetField())}
	}
	return []string{d.kind(), d.orderNo(), ecomStatus(o), o.order.GetListNo(), o.order.GetReason(), "", o.order.GetReasonMessage(), d.source()}
}

// ecomResultJSON is one document of the JSON report.
type ecomResultJSON struct {
	Index   int             `json:"index"`
	Source  string          `json:"source"`
	Kind    string          `json:"kind"`
	OrderNo string          `json:"order_no"`
	Status  string          `json:"status"`
	ListNo  string          `json:"list_no,omitempty"`
	Reason  string          `json:"reason,omitempty"`
	Error   *ecomErrorJSON  `json:"error,omitempty"`
	Order   json.RawMessage `json:"order,omitempty"`
}

type ecomErrorJSON struct {
	Code    string `json:"code"`
	Reason  string `json:"reason"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

// printEcomReport prints the outcome of submit: one row per document
// (summary on stderr), one JSON report object, or with quiet the released
// lists' numbers.
func (a *app) printEcomReport(r ecomReport, quiet bool) error {
	switch {
	case quiet:
		seen := map[string]bool{}
		for _, o := range r.out {
			if o.state == ecomAccepted && o.order.GetStatus() == customsv1.OrderStatus_ORDER_STATUS_RELEASED && !seen[o.order.GetListNo()] {
				seen[o.order.GetListNo()] = true
				if _, err := fmt.Fprintln(a.stdout, o.order.GetListNo()); err != nil {
					return err
				}
			}
		}
		a.note("%s", r.summary())
		return nil
	case a.format == output.JSON:
		n := r.orders()
		rep := struct {
			File       string           `json:"file"`
			Documents  int              `json:"documents"`
			Accepted   int              `json:"accepted"`
			Refused    int              `json:"refused"`
			Unanswered int              `json:"unanswered"`
			Orders     map[string]int   `json:"orders"`
			Results    []ecomResultJSON `json:"results"`
		}{File: r.file, Documents: len(r.docs), Accepted: r.count(ecomAccepted), Refused: r.count(ecomRefused), Unanswered: r.count(ecomUnanswered),
			Orders:  map[string]int{"released": n["RELEASED"], "pending": n["PENDING"], "rejected": n["REJECTED"], "cancelled": n["CANCELLED"]},
			Results: make([]ecomResultJSON, len(r.docs))}
		for i, d := range r.docs {
			o := r.out[i]
			row := ecomResultRow(d, o)
			res := ecomResultJSON{Index: d.index, Source: row[7], Kind: row[0], OrderNo: row[1], Status: row[2], ListNo: row[3], Reason: row[4]}
			if o.err != nil {
				res.Error = &ecomErrorJSON{Code: o.err.GetCode(), Reason: o.err.GetReason(), Field: o.err.GetField(), Message: o.err.GetMessage()}
			}
			if o.order != nil {
				b, err := output.MarshalJSON(o.order, "")
				if err != nil {
					return err
				}
				res.Order = b
			}
			rep.Results[i] = res
		}
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	rows := make([][]string, len(r.docs))
	for i, d := range r.docs {
		rows[i] = ecomResultRow(d, r.out[i])
	}
	if err := output.Rows(a.stdout, a.format, ecomResultHeader, rows); err != nil {
		return err
	}
	a.note("%s", r.summary())
	return nil
}
