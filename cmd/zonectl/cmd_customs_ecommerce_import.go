package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/zoneledger/zoneledger/cmd/zonectl/internal/output"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
	errorsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/errors/v1"
)

// Importing single-window messages: the CEB311, CEB411 and CEB511 XML
// files platforms, payment and logistics enterprises send, as they are.

// Limits of one call of messages as zonectl sends them (SubmitMessages,
// ImportReceipts): the server takes up to 100 messages of orders, payments
// and waybills, and reads up to --max-principal-in-flight-bytes (2 MiB by
// default) per call; ecomCallBytes leaves room for the envelope.
const (
	ecomImportMaxMessages = 100
	ecomCallBytes         = 1 << 20
)

const ecomImportLong = `Send single-window e-commerce messages as they are: CEB311 orders (订单),
CEB411 payment slips (支付单) and CEB511 waybills (运单), the XML files
platforms, payment and logistics enterprises send to the single window
(namespace http://www.chinaport.gov.cn/ceb, prefix ceb:). Each PATH is a file
or a folder; a folder's .xml files are sent, in name order, with those of its
subfolders. zonectl sends the files' bytes (SubmitMessages), up to --batch
files and 1 MiB per call, with a progress bar on stderr when there is more
than one call; the server reads them, checks each message's own rules, and
enters each document into the 三单 match exactly as "submit" does.

zonectl prints one row per document: file, document (its index in the
message), kind, order_no, status (the order's after the document: PENDING,
RELEASED, REJECTED, CANCELLED; RECEIVED for a payment or waybill whose order
has not arrived; REFUSED), list_no, reason, field and message; a summary goes
to stderr. A file that does not parse or breaks a rule of its message is one
REFUSED row (document -1) with MESSAGE_MALFORMED or MESSAGE_FIELD and the
element path, e.g. CEB311Message/Order[0]/OrderHead/appType; nothing of it
was taken. The exit code is 1 if a document was refused or an order is
REJECTED.

RE-RUNNING THE SAME FOLDER IS SAFE: each document is keyed by its kind and
order number; one received before is answered with its order as it stands.

Payments and waybills carry no ebcCode: each takes the e-commerce
enterprise of its order when the order is in the same call, else
--enterprise, else the caller's only enterprise.`

func (a *app) ecomImportCmd() *cobra.Command {
	var enterprise string
	var batch int
	var noProgress bool
	c := &cobra.Command{
		Use:   "import PATH...",
		Short: "Send CEB311/CEB411/CEB511 XML messages from files or folders, as they are (safe to re-run)",
		Long:  ecomImportLong,
		Example: `  zonectl customs ecommerce import ./outbox
  zonectl customs ecommerce import CEB311_0001.xml CEB411_0001.xml CEB511_0001.xml
  zonectl customs ecommerce import --enterprise 91310115MA1K000029 ./payments -o csv > results.csv`,
		Args: minArgs(1, "one or more files or folders of .xml messages"),
		RunE: a.act(func(cmd *cobra.Command, args []string) error {
			if batch < 1 || batch > ecomImportMaxMessages {
				return usagef("--batch %d: give 1 to %d", batch, ecomImportMaxMessages)
			}
			files, err := xmlFiles(args)
			if err != nil {
				return err
			}
			cl, err := a.connect()
			if err != nil {
				return err
			}
			calls := ecomCalls(files, func(f xmlFile) int { return len(f.data) }, batch)
			set, end := a.progress(!noProgress && len(calls) > 1, len(files), "messages")
			var rows [][]string
			var sum ecomImportSummary
			done := 0
			for _, call := range calls {
				res, err := ecomImportSend(cmd.Context(), a, cl.ecommerce, enterprise, call)
				if err != nil {
					end()
					if !ecomImportCallRefused(err) {
						a.note("%s", sum.String())
						return fmt.Errorf("stopped with %d of %d files sent (re-running is safe): %w", done, len(files), err)
					}
					for _, f := range call {
						rows = append(rows, ecomImportRefusedCall(f.name, err))
						sum.refused++
					}
				}
				for _, r := range res.GetResults() {
					name := fmt.Sprintf("message %d of the call", r.GetMessage())
					if m := int(r.GetMessage()); m >= 0 && m < len(call) {
						name = call[m].name
					}
					rows = append(rows, ecomImportRow(name, r, &sum))
				}
				done += len(call)
				set(done)
			}
			end()
			if err := output.Rows(a.stdout, a.format, ecomImportHeader, rows); err != nil {
				return err
			}
			a.note("%s", sum.String())
			if sum.refused > 0 || sum.count("REJECTED") > 0 {
				return errReported
			}
			return nil
		}),
	}
	c.Flags().StringVar(&enterprise, "enterprise", "", "USCC of the e-commerce enterprise of payments and waybills sent without their order")
	c.Flags().IntVar(&batch, "batch", 20, fmt.Sprintf("files per SubmitMessages call, 1 to %d (and at most 1 MiB)", ecomImportMaxMessages))
	c.Flags().BoolVar(&noProgress, "no-progress", false, "no progress bar on stderr")
	return c
}

// xmlFile is one message file.
type xmlFile struct {
	name string
	data []byte
}

// xmlFiles reads the files named and the .xml files of the folders named,
// in name order.
func xmlFiles(paths []string) ([]xmlFile, error) {
	var names []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, usagef("%v", err)
		}
		if !st.IsDir() {
			names = append(names, p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.EqualFold(filepath.Ext(path), ".xml") {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if len(found) == 0 {
			return nil, usagef("%s: no .xml files in the folder", p)
		}
		slices.Sort(found)
		names = append(names, found...)
	}
	out := make([]xmlFile, len(names))
	for i, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			return nil, err
		}
		out[i] = xmlFile{name: n, data: b}
	}
	return out, nil
}

// ecomCalls groups messages, in order, into calls of at most n messages
// and ecomCallBytes bytes (a larger message goes alone).
func ecomCalls[T any](msgs []T, size func(T) int, n int) [][]T {
	var calls [][]T
	start, bytes := 0, 0
	for i, m := range msgs {
		if i > start && (i-start == n || bytes+size(m) > ecomCallBytes) {
			calls, start, bytes = append(calls, msgs[start:i]), i, 0
		}
		bytes += size(m)
	}
	if start < len(msgs) {
		calls = append(calls, msgs[start:])
	}
	return calls
}

func ecomImportSend(ctx context.Context, a *app, c customsv1.EcommerceServiceClient, enterprise string, files []xmlFile) (*customsv1.SubmitMessagesResponse, error) {
	req := &customsv1.SubmitMessagesRequest{Enterprise: enterprise}
	for _, f := range files {
		req.Messages = append(req.Messages, f.data)
	}
	cctx, cancel := a.callCtx(ctx)
	defer cancel()
	return c.SubmitMessages(cctx, req)
}

// ecomImportCallRefused reports whether a call failed for what it carried
// (the files are reported refused and the run goes on) rather than for a
// server or network trouble (the run stops).
func ecomImportCallRefused(err error) bool {
	switch status.Code(err) {
	case codes.InvalidArgument, codes.PermissionDenied, codes.ResourceExhausted, codes.NotFound:
		return true
	}
	return false
}

var ecomImportHeader = []string{"file", "document", "kind", "order_no", "status", "list_no", "reason", "field", "message"}

func ecomImportRefusedCall(file string, err error) []string {
	st, _ := status.FromError(err)
	return []string{file, "-1", "", "", "REFUSED", "", errorsv1.ReasonOf(err), errorsv1.FieldOf(err), st.Message()}
}

// ecomImportSummary counts what the server answered: documents, and each
// order's status as the last answer about it left it.
type ecomImportSummary struct {
	accepted, refused int
	orders            map[string]string
}

// count is how many orders are in status st.
func (s *ecomImportSummary) count(st string) int {
	n := 0
	for _, v := range s.orders {
		if v == st {
			n++
		}
	}
	return n
}

func (s *ecomImportSummary) String() string {
	return fmt.Sprintf("%s accepted, %s refused; orders: %d released, %d pending, %d rejected",
		ecomCounted(s.accepted, "document"), ecomCounted(s.refused, "document"), s.count("RELEASED"), s.count("PENDING"), s.count("REJECTED"))
}

func ecomImportRow(file string, r *customsv1.MessageDocumentResult, sum *ecomImportSummary) []string {
	if sum.orders == nil {
		sum.orders = map[string]string{}
	}
	row := []string{file, fmt.Sprint(r.GetDocument()), r.GetKind(), r.GetOrderNo(), "", "", "", "", ""}
	if e := r.GetError(); e != nil {
		sum.refused++
		row[4], row[6], row[7], row[8] = "REFUSED", e.GetReason(), e.GetField(), e.GetMessage()
		return row
	}
	sum.accepted++
	o := r.GetOrder()
	if o == nil {
		row[4] = "RECEIVED"
		return row
	}
	st := strings.TrimPrefix(o.GetStatus().String(), "ORDER_STATUS_")
	sum.orders[o.GetOrderNo()] = st
	row[4], row[5], row[6], row[8] = st, o.GetListNo(), o.GetReason(), o.GetReasonMessage()
	return row
}
