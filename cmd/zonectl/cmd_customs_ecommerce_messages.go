package main

import (
	"context"
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/zoneledger/zoneledger/cmd/zonectl/internal/output"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// Single-window messages of e-commerce lists: a released inventory list as
// its CEB621 (EcommerceService.GetInventoryMessage), and customs' CEB622
// receipts imported (EcommerceService.ImportReceipts).

func (a *app) ecomMessageCmd() *cobra.Command {
	var out string
	return leaf(&cobra.Command{
		Use:   "message LIST [--out FILE]",
		Short: "Write a released inventory list as its CEB621 message (XML)",
		Long: `Write a released inventory list as the CEB621 message (进口申报清单) it
corresponds to, in the single window's ceb: namespace: the warehouse book as
emsNo, each line's part number on the book as itemRecordNo, one line per order
line, trade mode 1210, currency 142. The same list gives the same bytes every
time; customs' numbers (preNo, invtNo) appear once its receipts brought them.
Whoever may read the list may ask; a list refused for stock has no CEB621
(ECOMMERCE_LIST_NOT_RELEASED).

Without --out the XML goes to standard output; with --out FILE it is written
there and stderr says so. (-o is zonectl's output format everywhere, so the
file is --out.)`,
		Example: `  zonectl customs ecommerce message QLEC-0001 --out CEB621_QLEC-0001.xml
  zonectl customs ecommerce message QLEC-0001 | xmllint --format -`,
		Args: exactArgs(1, "one LIST"),
		RunE: a.act(func(cmd *cobra.Command, args []string) error {
			resp, err := call(a, cmd.Context(), func(ctx context.Context, c *clients) (*customsv1.GetInventoryMessageResponse, error) {
				return c.ecommerce.GetInventoryMessage(ctx, &customsv1.GetInventoryMessageRequest{ListNo: args[0]})
			})
			if err != nil {
				return err
			}
			return a.writeMessage(out, resp.GetMessage(), resp.GetFileName(), "the CEB621 of list "+args[0])
		}),
	}, flagSpec{&out, "out", "write the XML to this file, or into this directory under the server's name (- or empty: standard output)"})
}

var ecomReceiptHeader = []string{"file", "receipt", "list_no", "status_code", "applied", "duplicate", "customs_status", "list_status", "error"}

func (a *app) ecomReceiptsCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "receipts FILE...",
		Short: "Import customs' CEB622 receipts for inventory lists (customs)",
		Long: `Import customs' receipts (CEB622, 进口清单回执) for inventory lists: each FILE is
one CEB622Message as customs sent it, of one or more receipts. Customs or an
admin only. One row per receipt: the list (copNo), the status code, whether
it moved the list's customs status (applied), whether it was imported before
(duplicate), the list's customs status and status after it, or why it was
refused (the element path as the field).

A receipt moves the list when it is later than the one in force (returnTime,
then the code's rank); RELEASED (800, 899) and RETURNED (100) are final. A
退单 (100) books the list's goods back into the lots they left, cancels its
tax and restores the buyer's annual total. Importing the same files again is
safe: nothing is applied twice. The status codes taken and what they mean:
customs/ecommerce/README.md. The exit code is 1 if a receipt was refused.`,
		Example: `  zonectl customs ecommerce receipts CEB622_20261111_*.xml`,
		Args:    minArgs(1, "at least one FILE"),
		RunE: a.act(func(cmd *cobra.Command, args []string) error {
			msgs, err := readMessageFiles(args)
			if err != nil {
				return err
			}
			var rows [][]string
			refused := 0
			start := 0
			for _, batch := range ecomCalls(msgs, func(m []byte) int { return len(m) }, 1000) {
				resp, err := call(a, cmd.Context(), func(ctx context.Context, c *clients) (*customsv1.ImportReceiptsResponse, error) {
					return c.ecommerce.ImportReceipts(ctx, &customsv1.ImportReceiptsRequest{Messages: batch})
				})
				if err != nil {
					return fmt.Errorf("stopped after %d of %d files (importing them again is safe): %w", start, len(msgs), err)
				}
				for _, r := range resp.GetResults() {
					file := fmt.Sprintf("message %d of the call", r.GetMessage()) // a server that names no file sent
					if m := int(r.GetMessage()); m >= 0 && m < len(batch) {
						file = args[start+m]
					}
					row := []string{file, strconv.Itoa(int(r.GetReceipt())), r.GetListNo(), r.GetStatusCode(), strconv.FormatBool(r.GetApplied()),
						strconv.FormatBool(r.GetDuplicate()), "", "", ""}
					if e := r.GetError(); e != nil {
						refused++
						row[8] = e.GetReason() + " " + e.GetField() + ": " + e.GetMessage()
					} else {
						row[6] = enumName(r.GetList().GetCustomsStatus(), "INVENTORY_LIST_CUSTOMS_STATUS_")
						row[7] = enumName(r.GetList().GetStatus(), "INVENTORY_LIST_STATUS_")
					}
					rows = append(rows, row)
				}
				start += len(batch)
			}
			if err := output.Rows(a.stdout, a.format, ecomReceiptHeader, rows); err != nil {
				return err
			}
			a.note("%d files, %d receipts: %d refused", len(msgs), len(rows), refused)
			if refused > 0 {
				return errReported
			}
			return nil
		}),
	}
}
