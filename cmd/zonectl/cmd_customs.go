package main

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/zoneledger/zoneledger/cmd/zonectl/internal/input"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// The customs commands drive zoneledger.customs.v1 BookService,
// DeclarationService and GateService. They live under 'zonectl customs' so
// that 'customs book' (a customs account book, 电子账册) is not confused with
// the generic ledger 'books', and 'customs list' (a verification list) with
// the 'list' verb of the other nouns.

func (a *app) customsCmd() *cobra.Command {
	c := group("customs", "Enterprises, customs books, verification lists, gate passes and stock (customs services)",
		a.enterpriseCmd(), a.customsBookCmd(), a.stockCmd(),
		a.customsListCmd(), a.passCmd(),
		a.formCmd(), a.slipCmd(), a.tripsCmd(), a.displayCmd(), a.consumptionCmd(), a.certificateCmd(), a.taxableCmd(),
		a.ecommerceCmd(), a.processingCmd(), a.rndCmd(), a.repairCmd(), a.writeoffCmd(),
		a.outzoneCmd(), a.overdueCmd())
	c.Long = `The zone's customs side: enterprises (区内企业), their electronic account books
(电子账册) and book lines (备案序号), verification lists (核注清单), gate passes
(核放单) and gate events, business forms and slips of 分送集报, bonded display
trading (保税展示交易), consumption reports, certificates of non-manipulation,
taxable events, the stock report, and cross-border e-commerce bonded import
(网购保税进口, 1210: 'customs ecommerce').

Every document is filed under the enterprise's own number (inner_no), which is
its idempotency key: filing the same document again returns the original, so
re-running a command or a file after a failure is safe. Status changes
(declare, approve, release, ...) repeated on a document already in that status
return it unchanged.

Who may do what: admin or customs registers enterprises; customs suspends
enterprises and books, approves and returns lists, records gate events and
releases or rejects held vehicles; the enterprise (or a platform linked to it)
files books, lines, lists, passes, forms, slips and reports.`
	return c
}

// Enterprises.

func (a *app) enterpriseCmd() *cobra.Command {
	return group("enterprise", "Register, suspend, resume, show and list zone enterprises",
		a.enterpriseRegisterCmd(), a.enterpriseSuspendCmd(true), a.enterpriseSuspendCmd(false),
		a.enterpriseGetCmd(), a.enterpriseListCmd())
}

func (a *app) enterpriseRegisterCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "register", method: customsv1.BookService_RegisterEnterprise_FullMethodName,
		short: "Register a zone enterprise (admin or customs)",
		more: `The enterprise's principal is then created with 'zonectl admin principals
create --role enterprise --enterprise USCC'.`,
		example: `  zonectl customs enterprise register 91310000MA1K000019 --customs-code 3105960001 \
      --name "Pudong Precision Parts Co., Ltd." --credit general`,
		bind: "USCC=uscc credit=credit_rating"}, enterpriseView)
}

func (a *app) enterpriseSuspendCmd(suspend bool) *cobra.Command {
	use, short := "suspend", "Suspend an enterprise (customs)"
	if !suspend {
		use, short = "resume", "Lift an enterprise's suspension (customs)"
	}
	return rpcCmd(a, rpcSpec{use: use, method: customsv1.BookService_SetEnterpriseSuspended_FullMethodName, short: short,
		example: "  zonectl customs enterprise " + use + " 91310000MA1K000019",
		bind:    "USCC=uscc suspended:=" + strconv.FormatBool(suspend)}, enterpriseView)
}

func (a *app) enterpriseGetCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "get", method: customsv1.BookService_GetEnterprise_FullMethodName,
		short: "Show one enterprise", example: "  zonectl customs enterprise get 91310000MA1K000019 -o json", bind: "USCC=uscc"}, enterpriseView)
}

func (a *app) enterpriseListCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "list", aliases: []string{"ls"}, method: customsv1.BookService_ListEnterprises_FullMethodName,
		short: "List the enterprises you may see (all pages, USCC order)", example: "  zonectl customs enterprise list -o csv"}, enterpriseView)
}

// Customs books.

func (a *app) customsBookCmd() *cobra.Command {
	return group("book", "Create, show and list customs account books (电子账册); their lines and part numbers",
		a.customsBookCreateCmd(), a.customsBookStatusCmd(), a.customsBookWriteOffCmd(), a.customsBookGetCmd(), a.customsBookListCmd(),
		group("lines", "Register and list book lines (备案序号)", a.bookLinesAddCmd(), a.bookLinesListCmd()),
		group("parts", "Map enterprise part numbers (料号) onto book lines", a.bookPartsMapCmd()),
	)
}

func (a *app) customsBookCreateCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "create", method: customsv1.BookService_CreateBook_FullMethodName,
		short: "Register a customs book (the enterprise itself or customs)",
		example: `  zonectl customs book create H31050000001 --kind zone --enterprise 91310000MA1K000019 \
      --customs-office 3105 --usage 1 --cycle 12`,
		bind: "BOOK=book_no cycle=write_off_cycle_months"}, customsBookView)
}

func (a *app) customsBookStatusCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "status", method: customsv1.BookService_SetBookStatus_FullMethodName,
		short:   "Suspend, resume or close a book (customs)",
		example: "  zonectl customs book status H31050000001 suspended", bind: "BOOK=book_no STATUS=status"}, customsBookView)
}

func (a *app) customsBookWriteOffCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "write-off", method: customsv1.BookService_SetLastWriteOffDate_FullMethodName,
		short:   "Record a book's last write-off date (the owner or customs)",
		example: "  zonectl customs book write-off H31050000001 2026-06-30", bind: "BOOK=book_no DATE=date"}, customsBookView)
}

func (a *app) customsBookGetCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "get", method: customsv1.BookService_GetBook_FullMethodName,
		short: "Show one customs book", example: "  zonectl customs book get H31050000001", bind: "BOOK=book_no"}, customsBookView)
}

func (a *app) customsBookListCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "list", aliases: []string{"ls"}, method: customsv1.BookService_ListBooks_FullMethodName,
		short: "List the customs books you may read (all pages, number order)", example: "  zonectl customs book list --enterprise 91310000MA1K000019"},
		customsBookView)
}

// lineChunk is how many lines (part numbers) one AddBookLines
// (MapPartNumbers) call carries: the API's maximum.
const lineChunk = 1000

var linesField = regexp.MustCompile(`^lines\[([0-9]+)\](?:\.(.*))?$`)

const bookLinesAddLong = `Register book lines (备案序号) from a CSV or JSON file, in chunks of 1000 per
AddBookLines call (each chunk all or nothing), with a progress bar on stderr
when there is more than one chunk. The whole file is checked first; a mistake
is reported with its row and column (CSV) or line and field (JSON), and
nothing is sent (exit code 2). Re-registering an identical line changes
nothing, so re-running the file after a failure is safe; a different line
under a used seq is refused (BOOK_LINE_CONFLICT).

CSV: a header naming the columns (any order, case-insensitive), then one line
per row:

  seq            book line number, from 1                       required
  hs_code        10-digit commodity code (商品编码)              required
  name           goods name                                     required
  spec           specification / declaration elements (规格型号)
  declared_unit  3-digit customs unit the line is booked in      required
  scale          decimal places allowed in quantities, 0 to 5    required
  legal_unit     first legal unit, 3 digits                      required
  legal_factor   declared quantity x factor = legal quantity      required
  second_unit, second_factor   second legal unit (both or neither)
  type           MATERIAL (default), FINISHED or EQUIPMENT

  seq,hs_code,name,spec,declared_unit,scale,legal_unit,legal_factor,second_unit,second_factor,type
  1,8471300000,Notebook computer,14in,001,0,001,1,,,FINISHED
  2,3901100000,Polyethylene,LDPE pellets,035,3,035,1,070,0.001,MATERIAL

JSON: BookLine objects in protojson form (one, an array or JSON Lines); the
factors are strings:

  [{"seq": 1, "hs_code": "8471300000", "name": "Notebook computer",
    "declared_unit": "001", "scale": 0, "legal": {"unit": "001", "factor": "1"},
    "type": "GOODS_TYPE_FINISHED"}]`

func (a *app) bookLinesAddCmd() *cobra.Command {
	var ff fileFlags
	c := &cobra.Command{
		Use:   "add BOOK",
		Short: "Register book lines in bulk from a CSV or JSON file (safe to re-run)",
		Long:  bookLinesAddLong,
		Example: `  zonectl customs book lines add H31050000001 --file lines.csv
  zonectl customs book lines add H31050000001 --file lines.json --dry-run`,
		Args: exactArgs(1, "BOOK"),
		RunE: a.act(func(cmd *cobra.Command, args []string) error {
			rows, err := readFileFlag(a, &ff, input.ReadBookLines)
			if err != nil {
				return err
			}
			if ff.dryRun {
				a.noteDryRun(ff.file, len(rows), "book lines")
				return nil
			}
			book := args[0]
			done, err := chunks[input.BookLineRow]{file: ff.file, what: "book lines", verb: "registered", size: lineChunk, noProgress: ff.noProgress,
				send: func(ctx context.Context, c *clients, chunk []input.BookLineRow) error {
					req := &customsv1.AddBookLinesRequest{BookNo: book, Lines: make([]*customsv1.BookLine, len(chunk))}
					for i, row := range chunk {
						req.Lines[i] = row.Line
					}
					_, err := c.books.AddBookLines(ctx, req)
					return err
				},
				where: func(chunk []input.BookLineRow, field string) string {
					if m := linesField.FindStringSubmatch(field); m != nil {
						if k, _ := strconv.Atoi(m[1]); k < len(chunk) {
							where := chunk[k].Where()
							if col := input.BookLineColumn(m[2]); col != "" && chunk[k].CSV {
								where += fmt.Sprintf(", column %q", col)
							}
							return where
						}
					}
					unit := "lines"
					if chunk[0].CSV {
						unit = "rows"
					}
					return fmt.Sprintf("%s %d-%d", unit, chunk[0].Row, chunk[len(chunk)-1].Row)
				}}.run(a, cmd, rows)
			if err != nil {
				return err
			}
			a.note("%d book lines registered on book %s", done, book)
			return nil
		}),
	}
	ff.register(c, "book line (.csv or .json)", true)
	return c
}

func (a *app) bookLinesListCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "list", aliases: []string{"ls"}, method: customsv1.BookService_ListBookLines_FullMethodName,
		short: "List a book's lines with their part numbers (all pages, seq order)", example: "  zonectl customs book lines list H31050000001 -o csv",
		bind: "BOOK=book_no"}, bookLineView)
}

func (a *app) bookPartsMapCmd() *cobra.Command {
	var ff fileFlags
	c := &cobra.Command{
		Use:   "map BOOK",
		Short: "Map part numbers (料号) onto book lines from a CSV file (safe to re-run)",
		Long: `Map enterprise part numbers onto book lines, many parts to one line, from a
CSV file with the header part_number,seq, in chunks of 1000 per
MapPartNumbers call. Mapping a part again to the same line changes nothing,
so re-running the file is safe; mapping it to another line is refused
(PART_NUMBER_CONFLICT). Lists may then name a line by its part number.

  part_number,seq
  NB-14-SILVER,1
  NB-14-GREY,1
  PE-LD-25KG,2`,
		Example: "  zonectl customs book parts map H31050000001 --file parts.csv",
		Args:    exactArgs(1, "BOOK"),
		RunE: a.act(func(cmd *cobra.Command, args []string) error {
			rows, err := readInput(a, ff.file, func(r io.Reader) ([]input.PartRow, error) { return input.ReadPartsCSV(r, ff.file) })
			if err != nil {
				return err
			}
			if ff.dryRun {
				a.noteDryRun(ff.file, len(rows), "part numbers")
				return nil
			}
			done, err := chunks[input.PartRow]{file: ff.file, what: "part numbers", verb: "mapped", size: lineChunk, noProgress: ff.noProgress,
				send: func(ctx context.Context, c *clients, chunk []input.PartRow) error {
					req := &customsv1.MapPartNumbersRequest{BookNo: args[0], Parts: make(map[string]int32, len(chunk))}
					for _, row := range chunk {
						req.Parts[row.Part] = row.Seq
					}
					_, err := c.books.MapPartNumbers(ctx, req)
					return err
				},
				where: func(chunk []input.PartRow, field string) string {
					for _, row := range chunk {
						if field != "" && (strings.Contains(field, `"`+row.Part+`"`) || strings.Contains(field, "["+row.Part+"]")) {
							return fmt.Sprintf("row %d", row.Row)
						}
					}
					return fmt.Sprintf("rows %d-%d", chunk[0].Row, chunk[len(chunk)-1].Row)
				}}.run(a, cmd, rows)
			if err != nil {
				return err
			}
			a.note("%d part numbers mapped on book %s", done, args[0])
			return nil
		}),
	}
	ff.register(c, "part number CSV", false)
	return c
}

// Stock.

func (a *app) stockCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "stock", aliases: []string{"stock-report"}, method: customsv1.BookService_GetStockReport_FullMethodName,
		short: "Show a book's stock report (GetStockReport): per line, bonded and non-bonded goods by status",
		more: `The columns:

  bonded               bonded goods on the 底账 (余量): available + reserved + display + out_zone
  available            bonded goods free to be filed out
  reserved             bonded goods reserved by declared outbound lists (预核扣)
  non_bonded           non-bonded goods stored beside them (available + reserved)
  non_bonded_reserved  non-bonded goods reserved by declared lists
  inspection           goods in the 待检区 while their status switches (区内直转)
  undeclared           goods in on a type-1 pass awaiting their list (先入区后报关)
  display              bonded goods out on display under a type-C form, still on the book
  out_zone             bonded goods out of the zone under a business form (testing, repair,
                       moulds, 外发加工) until they come back, still on the book

-o json prints the lines as an array of StockLine objects.`,
		example: `  zonectl customs stock H31050000001
  zonectl customs stock H31050000001 --as-of 2026-03-31 -o csv`,
		bind: "BOOK=book_no"}, stockView)
}
