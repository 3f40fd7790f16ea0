package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/zoneledger/zoneledger/cmd/zonectl/internal/input"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// Verification lists (保税核注清单).

func (a *app) customsListCmd() *cobra.Command {
	return group("list", "File, declare, approve, return, delete, clear, show and list verification lists (核注清单); their INV101 / INV201 messages",
		append([]*cobra.Command{a.listCreateCmd(), a.listDeclareCmd(), a.listApproveCmd(), a.listReturnCmd(), a.listDeleteCmd(),
			a.listClearCmd(), a.listGetCmd(), a.listLsCmd()}, a.listMessageCmds()...)...)
}

const listCreateLong = `File verification lists as drafts (no book effect yet), one CreateList call
per list in file order. The zone assigns each list its number (QD...), shown in
the output; -q prints only the numbers, for scripts. The whole file is checked
first (syntax, required fields, decimals); a mistake is reported with its line
and field (JSON) or row and column (CSV) and nothing is sent (exit code 2).
A refusal stops the run and names the list (and for CSV the row) at fault.

RE-RUNNING THE SAME FILE IS SAFE: inner_no (企业内部清单编号) is each list's
idempotency key; a list filed before comes back unchanged. A different list
under a used inner_no is refused (DUPLICATE_LIST_NUMBER).

JSON: CreateListRequest objects in protojson form (one, an array or JSON
Lines). Decimals are strings; unknown fields are refused.

  {"inner_no": "IN-0001", "book_no": "H31050000001", "io": "I",
   "trade_mode": "5034", "country": "USA",
   "lines": [{"book_seq": 1, "quantity": "100", "total": "500000.00",
              "currency": "142", "gross_weight": "1000", "net_weight": "900"}]}

CSV (the simple form): a header, then one list line per row; rows sharing
inner_no are one list and must agree on the list columns. List columns:
inner_no, book_no, io, trade_mode (required), list_type, declare_flag,
declaration_kind, declaration_no, transfer_type, related_list_no,
related_book_no, apply_no, entry_pass_nos, slip_nos (numbers separated by ';'),
list_country, exchange_rate. Line columns: book_seq or part_number, quantity
(required), unit, unit_price, total, currency, country, gross_weight,
net_weight, lot. A row with every line column empty adds no line (a
collective list declares its slips).

  inner_no,book_no,io,trade_mode,list_country,book_seq,quantity,total,gross_weight,net_weight
  IN-0001,H31050000001,I,5034,USA,1,100,500000.00,1000,900
  IN-0001,H31050000001,I,5034,USA,2,2500.5,40008.00,2600,2500.5`

func (a *app) listCreateCmd() *cobra.Command {
	var ff fileFlags
	c := &cobra.Command{
		Use:   "create",
		Short: "File verification lists from a JSON or CSV file (safe to re-run)",
		Long:  listCreateLong,
		Example: `  zonectl customs list create --file list-in.json
  LIST=$(zonectl customs list create --file list-in.json -q)`,
		Args: exactArgs(0, "no arguments"),
		RunE: a.act(func(cmd *cobra.Command, _ []string) error {
			docs, err := readFileFlag(a, &ff, input.ReadLists)
			if err != nil {
				return err
			}
			if ff.dryRun {
				a.noteDryRun(ff.file, len(docs), "lists")
				return nil
			}
			p := newDocPrinter(a, len(docs), ff.quiet, listView.header, listView.rows, (*customsv1.List).GetListNo)
			return fileDocs(a, cmd.Context(), ff, "lists", docs, (*customsv1.CreateListRequest).GetInnerNo,
				func(ctx context.Context, c *clients, req *customsv1.CreateListRequest) (*customsv1.List, error) {
					resp, err := c.decls.CreateList(ctx, req)
					return resp.GetList(), err
				}, p)
		}),
	}
	ff.register(c, "list (.json, .jsonl or .csv)", true)
	addQuiet(c, &ff.quiet, "list")
	return c
}

func (a *app) listDeclareCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "declare", method: customsv1.DeclarationService_DeclareList_FullMethodName,
		short:   "Declare draft lists to customs (申报); outbound goods are reserved",
		more:    `Several lists: in order; the first refusal stops.`,
		example: "  zonectl customs list declare QD310526I000000001",
		bind:    "LIST...=list_no"}, listView)
}

func (a *app) listApproveCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "approve", method: customsv1.DeclarationService_ApproveList_FullMethodName,
		short:   "Approve declared lists (审核通过) (customs)",
		more:    `Several lists: in order; the first refusal stops.`,
		example: `  zonectl customs list approve QD310526I000000001 --note "documents checked"`,
		bind:    "LIST...=list_no"}, listView)
}

func (a *app) listReturnCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "return", method: customsv1.DeclarationService_ReturnList_FullMethodName,
		short:   "Return a declared or approved list to its filer (退单) (customs)",
		example: `  zonectl customs list return QD310526E000000002 --note "unit price missing on line 1"`,
		bind:    "LIST=list_no"}, listView)
}

func (a *app) listDeleteCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "delete", method: customsv1.DeclarationService_DeleteList_FullMethodName,
		short:   "Delete draft lists (删单)",
		more:    `Several lists: in order; the first refusal stops.`,
		example: "  zonectl customs list delete QD310526I000000003",
		bind:    "LIST...=list_no"}, listView)
}

func (a *app) listClearCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "clear", method: customsv1.DeclarationService_ClearList_FullMethodName,
		short:   "Book a 区内直转 list once its declaration is released",
		example: "  zonectl customs list clear QD310526E000000004 --declaration 310520260000012345",
		bind:    "LIST=list_no declaration=declaration_no"}, listView)
}

func (a *app) listGetCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "get", method: customsv1.DeclarationService_GetList_FullMethodName,
		short: "Show one list (one row per line in table and CSV)",
		more: `Table and CSV print one row per list line with its declared and legal
quantities, CNY value, the quantity through the gate (passed) and the lots an
outbound line reserved; -o json prints the whole List.`,
		example: "  zonectl customs list get QD310526I000000001 -o json",
		bind:    "LIST=list_no"}, listLinesView)
}

func (a *app) listLsCmd() *cobra.Command {
	c := rpcCmd(a, rpcSpec{use: "ls", method: customsv1.DeclarationService_ListLists_FullMethodName,
		short:   "List the lists you may read (all pages, number order)",
		example: "  zonectl customs list ls --book H31050000001 --status declared"}, listView)
	c.Aliases = []string{"list"}
	return c
}

// Business forms (业务申报表).

func (a *app) formCmd() *cobra.Command {
	return group("form", "File and show business forms (业务申报表), e.g. type A 分送集报",
		a.formCreateCmd(), a.formGetCmd())
}

func (a *app) formCreateCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "create", method: customsv1.DeclarationService_CreateForm_FullMethodName,
		short: "File a business form (safe to repeat)",
		example: `  FORM=$(zonectl customs form create --inner-no FA-2026-03 --book H31050000001 --type A \
      --from 2026-03-01 --until 2026-03-31 --guarantee 50000.00 -q)`,
		bind:  "inner-no=inner_no type=form_type from=valid_from until=valid_until",
		quiet: "form_no"}, formView)
}

func (a *app) formGetCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "get", method: customsv1.DeclarationService_GetForm_FullMethodName,
		short:   "Show one business form",
		example: "  zonectl customs form get SQA310526X000000001",
		bind:    "FORM=form_no"}, formView)
}

// In/out slips (出入库单).

func (a *app) slipCmd() *cobra.Command {
	return group("slip", "File and show in/out slips (出入库单) of 分送集报 trips", a.slipCreateCmd(), a.slipGetCmd())
}

func (a *app) slipCreateCmd() *cobra.Command {
	var ff fileFlags
	var apply string
	c := &cobra.Command{
		Use:   "create",
		Short: "File in/out slips from a JSON or CSV file (safe to re-run)",
		Long: `File the in/out slips of 分送集报 trips under a type-A business form, one
CreateSlip call per slip in file order. inner_no is the idempotency key:
re-running the file is safe. --apply sets the form (apply_no) of every slip,
so the file need not know the number the zone gave the form.

JSON: CreateSlipRequest objects in protojson form (one, an array or JSON Lines).

  {"inner_no": "TRIP-0001", "book_no": "H31050000001", "io": "E",
   "lines": [{"book_seq": 2, "quantity": "100", "value": "1600.00",
              "gross_weight": "105", "net_weight": "100"}]}

CSV: a header, then one slip line per row; rows sharing inner_no are one slip.
Columns: inner_no, book_no, io, book_seq, quantity (required), apply_no, unit,
value, gross_weight, net_weight.`,
		Example: "  zonectl customs slip create --file slip.json --apply \"$FORM\"",
		Args:    exactArgs(0, "no arguments"),
		RunE: a.act(func(cmd *cobra.Command, _ []string) error {
			docs, err := readFileFlag(a, &ff, input.ReadSlips)
			if err != nil {
				return err
			}
			for _, d := range docs {
				if apply != "" {
					d.Req.ApplyNo = apply
				}
				if d.Req.GetApplyNo() == "" {
					return usagef("%s: %s: apply_no: is required: give the type-A form in the file or with --apply", ff.file, d.Source())
				}
			}
			if ff.dryRun {
				a.noteDryRun(ff.file, len(docs), "slips")
				return nil
			}
			p := newDocPrinter(a, len(docs), ff.quiet, slipView.header, slipView.rows, (*customsv1.Slip).GetSlipNo)
			return fileDocs(a, cmd.Context(), ff, "slips", docs, (*customsv1.CreateSlipRequest).GetInnerNo,
				func(ctx context.Context, c *clients, req *customsv1.CreateSlipRequest) (*customsv1.Slip, error) {
					resp, err := c.decls.CreateSlip(ctx, req)
					return resp.GetSlip(), err
				}, p)
		}),
	}
	ff.register(c, "slip (.json, .jsonl or .csv)", true)
	addQuiet(c, &ff.quiet, "slip")
	c.Flags().StringVar(&apply, "apply", "", "the type-A business form of every slip (sets apply_no)")
	return c
}

func (a *app) slipGetCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "get", method: customsv1.DeclarationService_GetSlip_FullMethodName,
		short:   "Show one slip (one row per line in table and CSV)",
		example: "  zonectl customs slip get CRK310526E000000001",
		bind:    "SLIP=slip_no"}, slipLinesView)
}

func (a *app) tripsCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "trips", method: customsv1.DeclarationService_ListPendingTrips_FullMethodName,
		short:   "List 分送集报 trips through the gate but not yet declared, with deadlines",
		example: "  zonectl customs trips H31050000001 --as-of 2026-03-28",
		bind:    "[BOOK]=book_no"}, tripView)
}

// Consumption reports.

func (a *app) consumptionCmd() *cobra.Command {
	return group("consumption", "Report goods consumed in the zone (simple processing, R&D use)", a.consumptionReportCmd())
}

func (a *app) consumptionReportCmd() *cobra.Command {
	var ff fileFlags
	c := &cobra.Command{
		Use:   "report",
		Short: "File consumption reports from a JSON or CSV file (safe to re-run)",
		Long: `Book goods consumed in the zone (bonded -> consumed) and, optionally, what was
produced from them (production -> bonded), one ReportConsumption call per
report in file order. inner_no is the idempotency key: re-running the file is
safe.

JSON: ReportConsumptionRequest objects in protojson form (one, an array or
JSON Lines).

  {"inner_no": "RD-2026-03", "book_no": "H31050000001", "purpose": "研发耗用",
   "date": "2026-03-31", "consumed": [{"book_seq": 2, "quantity": "12.5"}]}

CSV: a header, then one consumed or produced line per row (kind consumed or
produced); rows sharing inner_no are one report. Columns: inner_no, book_no,
kind, book_seq, quantity (required), purpose, date, unit, lot (consumed only),
value (produced only).`,
		Example: "  zonectl customs consumption report --file consumption.json",
		Args:    exactArgs(0, "no arguments"),
		RunE: a.act(func(cmd *cobra.Command, _ []string) error {
			docs, err := readFileFlag(a, &ff, input.ReadConsumption)
			if err != nil {
				return err
			}
			if ff.dryRun {
				a.noteDryRun(ff.file, len(docs), "consumption reports")
				return nil
			}
			p := newDocPrinter(a, len(docs), ff.quiet, reportHeader, reportRows, (*customsv1.ConsumptionReport).GetReportNo)
			return fileDocs(a, cmd.Context(), ff, "consumption reports", docs, (*customsv1.ReportConsumptionRequest).GetInnerNo,
				func(ctx context.Context, c *clients, req *customsv1.ReportConsumptionRequest) (*customsv1.ConsumptionReport, error) {
					resp, err := c.decls.ReportConsumption(ctx, req)
					return resp.GetReport(), err
				}, p)
		}),
	}
	ff.register(c, "consumption report (.json, .jsonl or .csv)", true)
	addQuiet(c, &ff.quiet, "report")
	return c
}

func (a *app) certificateCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "certificate", method: customsv1.DeclarationService_RequestCertificate_FullMethodName,
		short:   "Request the certificate of non-manipulation (未再加工证明) of a cleared export list",
		more:    `Table and CSV print one row per lot.`,
		example: "  zonectl customs certificate QD310526E000000002",
		bind:    "LIST=list_no"}, certificateView)
}

func (a *app) taxableCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "taxable", method: customsv1.DeclarationService_ListTaxableEvents_FullMethodName,
		short:   "List a book's taxable events (goods leaving bonded status) with their assessment",
		more:    `waived names the taxes not collected, separated by ";" (DUTY;CONSUMPTION_TAX).`,
		example: "  zonectl customs taxable H31050000001 --from 2026-03-01 --to 2026-03-31 -o csv",
		bind:    "BOOK=book_no from=from_date to=to_date"}, taxableView)
}
