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
	return &cobra.Command{
		Use:   "declare LIST...",
		Short: "Declare draft lists to customs (申报); outbound goods are reserved",
		Long: `Declare draft lists to customs (申报), in order. Goods leaving a bucket are
reserved (预核扣); a list the bucket cannot cover is refused
(INSUFFICIENT_BONDED_STOCK). Declaring a declared (or later) list again returns
it.`,
		Example: "  zonectl customs list declare QD310526I000000001",
		Args:    minArgs(1, "at least one LIST"),
		RunE: runActOn(a, listView, func(ctx context.Context, c *clients, no string) (*customsv1.DeclareListResponse, error) {
			return c.decls.DeclareList(ctx, &customsv1.DeclareListRequest{ListNo: no})
		}),
	}
}

func (a *app) listApproveCmd() *cobra.Command {
	var note string
	return leaf(&cobra.Command{
		Use:   "approve LIST...",
		Short: "Approve declared lists (审核通过) (customs)",
		Long: `Approve declared lists, in order. Lists that pass no gate are booked now
(先入区后报关, collective lists, intra-zone transfers once both sides are
approved); the others wait for their passes. Customs only. Approving an
approved list again returns it.`,
		Example: `  zonectl customs list approve QD310526I000000001 --note "documents checked"`,
		Args:    minArgs(1, "at least one LIST"),
		RunE: runActOn(a, listView, func(ctx context.Context, c *clients, no string) (*customsv1.ApproveListResponse, error) {
			return c.decls.ApproveList(ctx, &customsv1.ApproveListRequest{ListNo: no, Note: note})
		}),
	}, flagSpec{&note, "note", "approval remark, kept as the list's note"})
}

func (a *app) listReturnCmd() *cobra.Command {
	var note string
	return leaf(&cobra.Command{
		Use:   "return LIST",
		Short: "Return a declared or approved list to its filer (退单) (customs)",
		Long: `Return a declared or approved list to its filer with a reason; reserved goods
go back. A list whose goods started passing the gate cannot be returned.
Customs only. Returning a returned list again returns it.`,
		Example: `  zonectl customs list return QD310526E000000002 --note "unit price missing on line 1"`,
		Args:    exactArgs(1, "LIST"),
		RunE: runActOn(a, listView, func(ctx context.Context, c *clients, no string) (*customsv1.ReturnListResponse, error) {
			return c.decls.ReturnList(ctx, &customsv1.ReturnListRequest{ListNo: no, Note: note})
		}),
	}, flagSpec{&note, "note", "why the list is returned (required)"})
}

func (a *app) listDeleteCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "delete LIST...",
		Short:   "Delete draft lists (删单)",
		Long:    `Delete draft lists, in order. Deleting a deleted list again returns it.`,
		Example: "  zonectl customs list delete QD310526I000000003",
		Args:    minArgs(1, "at least one LIST"),
		RunE: runActOn(a, listView, func(ctx context.Context, c *clients, no string) (*customsv1.DeleteListResponse, error) {
			return c.decls.DeleteList(ctx, &customsv1.DeleteListRequest{ListNo: no})
		}),
	}
}

func (a *app) listClearCmd() *cobra.Command {
	var declaration string
	return leaf(&cobra.Command{
		Use:   "clear LIST",
		Short: "Book a 区内直转 list once its declaration is released",
		Long: `Record the release of a 区内直转 (status switch) list's declaration: the goods
leave the 待检区 for their new status (to non-bonded: a taxable event). The
enterprise or customs may. Clearing a cleared list again returns it.`,
		Example: "  zonectl customs list clear QD310526E000000004 --declaration 310520260000012345",
		Args:    exactArgs(1, "LIST"),
		RunE: runActOn(a, listView, func(ctx context.Context, c *clients, no string) (*customsv1.ClearListResponse, error) {
			return c.decls.ClearList(ctx, &customsv1.ClearListRequest{ListNo: no, DeclarationNo: declaration})
		}),
	}, flagSpec{&declaration, "declaration", "the released declaration's number (报关单编号) (required)"})
}

func (a *app) listGetCmd() *cobra.Command {
	req := &customsv1.GetListRequest{}
	return &cobra.Command{
		Use:   "get LIST",
		Short: "Show one list (one row per line in table and CSV)",
		Long: `Show one list. Table and CSV print one row per list line with its declared
and legal quantities, CNY value, the quantity through the gate (passed) and
the lots an outbound line reserved; -o json prints the whole List.`,
		Example: "  zonectl customs list get QD310526I000000001 -o json",
		Args:    exactArgs(1, "LIST"),
		RunE:    runShow(a, listLinesView, sendArg(customsv1.DeclarationServiceClient.GetList, req, &req.ListNo)),
	}
}

func (a *app) listLsCmd() *cobra.Command {
	var book, enterprise, status, customsNo string
	return leaf(&cobra.Command{
		Use:     "ls",
		Aliases: []string{"list"},
		Short:   "List the lists you may read (all pages, number order)",
		Example: "  zonectl customs list ls --book H31050000001 --status declared",
		RunE: a.act(func(cmd *cobra.Command, _ []string) error {
			st, err := optEnum("--status", status, customsv1.ListStatus_value, "LIST_STATUS_")
			if err != nil {
				return err
			}
			return sendShowPages(a, cmd, listView, customsv1.DeclarationServiceClient.ListLists,
				&customsv1.ListListsRequest{BookNo: book, Enterprise: enterprise, Status: customsv1.ListStatus(st), CustomsNo: customsNo})
		}),
	}, flagSpec{&book, "book", "only lists of this book"},
		flagSpec{&enterprise, "enterprise", "only lists of this enterprise's books (USCC)"},
		flagSpec{&status, "status", "only lists in this status: draft, declared, approved, returned, cleared or deleted"},
		flagSpec{&customsNo, "customs-no", "only the list customs numbered so (from its INV201 receipt)"})
}

// Business forms (业务申报表).

func (a *app) formCmd() *cobra.Command {
	return group("form", "File and show business forms (业务申报表), e.g. type A 分送集报",
		a.formCreateCmd(), a.formGetCmd())
}

func (a *app) formCreateCmd() *cobra.Command {
	req := &customsv1.CreateFormRequest{}
	var quiet bool
	c := &cobra.Command{
		Use:   "create",
		Short: "File a business form (safe to repeat)",
		Long: `File a business form (业务申报表) for trips from --from to --until. Type A
(分送集报) forms carry the slips of collective declarations. --inner-no is the
idempotency key: repeating the command returns the form; a different form
under a used number is refused (DUPLICATE_DOCUMENT_NUMBER). Amounts are
decimal strings.`,
		Example: `  FORM=$(zonectl customs form create --inner-no FA-2026-03 --book H31050000001 --type A \
      --from 2026-03-01 --until 2026-03-31 --guarantee 50000.00 -q)`,
		Args: exactArgs(0, "no arguments"),
		RunE: a.act(func(cmd *cobra.Command, _ []string) error {
			f, err := call(a, cmd.Context(), func(ctx context.Context, c *clients) (*customsv1.Form, error) {
				resp, err := c.decls.CreateForm(ctx, req)
				return resp.GetForm(), err
			})
			if err != nil {
				return err
			}
			p := newDocPrinter(a, 1, quiet, formView.header, formView.rows, (*customsv1.Form).GetFormNo)
			return p.close(p.add(f))
		}),
	}
	bind(c, flagSpec{&req.InnerNo, "inner-no", "the enterprise's own number: the idempotency key (required)"},
		flagSpec{&req.BookNo, "book", "book number (required)"},
		flagSpec{&req.FormType, "type", "business type, e.g. A (分送集报) (required)"},
		flagSpec{&req.ValidFrom, "from", "first valid day, YYYY-MM-DD (required)"},
		flagSpec{&req.ValidUntil, "until", "last valid day, YYYY-MM-DD, inclusive (required)"},
		flagSpec{&req.Guarantee, "guarantee", "guarantee amount in CNY, a decimal"},
		flagSpec{&req.Note, "note", "free-form note"})
	addQuiet(c, &quiet, "form")
	return c
}

func (a *app) formGetCmd() *cobra.Command {
	req := &customsv1.GetFormRequest{}
	return &cobra.Command{
		Use:     "get FORM",
		Short:   "Show one business form",
		Example: "  zonectl customs form get SQA310526X000000001",
		Args:    exactArgs(1, "FORM"),
		RunE:    runShow(a, formView, sendArg(customsv1.DeclarationServiceClient.GetForm, req, &req.FormNo)),
	}
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
	req := &customsv1.GetSlipRequest{}
	return &cobra.Command{
		Use:     "get SLIP",
		Short:   "Show one slip (one row per line in table and CSV)",
		Example: "  zonectl customs slip get CRK310526E000000001",
		Args:    exactArgs(1, "SLIP"),
		RunE:    runShow(a, slipLinesView, sendArg(customsv1.DeclarationServiceClient.GetSlip, req, &req.SlipNo)),
	}
}

func (a *app) tripsCmd() *cobra.Command {
	var asOf string
	return leaf(&cobra.Command{
		Use:   "trips [BOOK]",
		Short: "List 分送集报 trips through the gate but not yet declared, with deadlines",
		Long: `List the 分送集报 trips that passed the gate but are not yet declared on a
collective list, with their deadlines and the days left (negative once
overdue), of one book or of every book you may read.`,
		Example: "  zonectl customs trips H31050000001 --as-of 2026-03-28",
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usagef("expected at most one BOOK, got %d arguments", len(args))
			}
			return nil
		},
		RunE: a.act(func(cmd *cobra.Command, args []string) error {
			book := ""
			if len(args) == 1 {
				book = args[0]
			}
			return showAll(a, cmd, tripView, func(ctx context.Context, c *clients) ([]*customsv1.PendingTrip, error) {
				resp, err := c.decls.ListPendingTrips(ctx, &customsv1.ListPendingTripsRequest{BookNo: book, AsOf: asOf})
				return resp.GetTrips(), err
			})
		}),
	}, flagSpec{&asOf, "as-of", "count the days left as of this business date, YYYY-MM-DD (default: today)"})
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
	req := &customsv1.RequestCertificateRequest{}
	return &cobra.Command{
		Use:   "certificate LIST",
		Short: "Request the certificate of non-manipulation (未再加工证明) of a cleared export list",
		Long: `Issue a certificate of non-manipulation for the goods a cleared first-line exit
list shipped abroad, tracing each lot to its entry; table and CSV print one
row per lot. It is refused (CERTIFICATE_REFUSED, naming the lot) unless every
lot entered from abroad and none was consumed or processed in the zone. Asking
again returns the certificate already issued.`,
		Example: "  zonectl customs certificate QD310526E000000002",
		Args:    exactArgs(1, "LIST"),
		RunE:    runShow(a, certificateView, sendArg(customsv1.DeclarationServiceClient.RequestCertificate, req, &req.ListNo)),
	}
}

func (a *app) taxableCmd() *cobra.Command {
	var from, to string
	return leaf(&cobra.Command{
		Use:   "taxable BOOK",
		Short: "List a book's taxable events (goods leaving bonded status) with their assessment",
		Long: `List the taxable events of a book (domestic sales, collective domestic-sale
declarations, 区内直转 to non-bonded) in id order, with the tax engine's
assessment (duty, consumption tax, VAT in CNY) or why there is none
(assess_error), optionally from --from to --to inclusive (business dates).
waived names the taxes not collected (amounts 0.00) because the
consignment's (一票) total of that tax is within the 50 CNY de-minimis,
separated by ";" (e.g. DUTY;CONSUMPTION_TAX).`,
		Example: "  zonectl customs taxable H31050000001 --from 2026-03-01 --to 2026-03-31 -o csv",
		Args:    exactArgs(1, "BOOK"),
		RunE: runPages(a, taxableView, func(ctx context.Context, c *clients, args []string, token string) (*customsv1.ListTaxableEventsResponse, error) {
			return c.decls.ListTaxableEvents(ctx, &customsv1.ListTaxableEventsRequest{BookNo: args[0], FromDate: from, ToDate: to,
				PageSize: pageSize, PageToken: token})
		}),
	}, flagSpec{&from, "from", "first business date, YYYY-MM-DD, inclusive"},
		flagSpec{&to, "to", "last business date, YYYY-MM-DD, inclusive"})
}
