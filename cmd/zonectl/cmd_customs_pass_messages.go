package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"google.golang.org/protobuf/proto"

	"github.com/zoneledger/zoneledger/cmd/zonectl/internal/output"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// Gate passes as single-window messages: SAS121 out, SAS221 / SAS251 in.

func (a *app) passMessageCmd() *cobra.Command {
	var out string
	c := rpcCmd(a, rpcSpec{use: "message", method: customsv1.GateService_ExportPassMessage_FullMethodName,
		short: "Export a pass as the SAS121 message (XML or the zone systems' JSON)",
		more:  `The message goes to standard output, or to --out FILE (- for standard output).`,
		example: `  zonectl customs pass message HF310526I000000001 > pass.xml
  zonectl customs pass message Z3105I261206000000000001 --format json --out pass.json`,
		bind: "PASS=pass_no",
		write: func(req, resp proto.Message) error {
			r := resp.(*customsv1.ExportPassMessageResponse)
			return a.writeMessage(out, r.GetMessage(), r.GetFileName(), "pass "+req.(*customsv1.ExportPassMessageRequest).GetPassNo()+" as SAS121")
		}}, view[*customsv1.ExportPassMessageResponse]{})
	c.Flags().StringVar(&out, "out", "", outHelp)
	return c
}

func (a *app) passReceiptsCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "receipts FILE...",
		Short: "Import customs' receipts of passes (SAS221, SAS251) (customs or admin)",
		Long: `Import customs' receipts of gate passes, one message per file, in the order given:
SAS221 (审核回执) stores customs' pass number and approves or returns the pass;
SAS251 (gate status) moves it through the gate (the goods are booked as when the
gate records the vehicle) or deletes it. Receipts are idempotent: importing a
file again changes nothing (CHANGED false). The first refused file stops the
command; the ones before it stay imported, and importing them again is harmless.`,
		Example: "  zonectl customs pass receipts receipts/*.xml",
		Args:    minArgs(1, "FILE..."),
		RunE: a.act(func(cmd *cobra.Command, args []string) error {
			files, err := readMessageFiles(args)
			if err != nil {
				return err
			}
			header := []string{"file", "message_type", "message_id", "pass_no", "customs_no", "status", "changed"}
			l := output.NewList(a.stdout, a.format, header)
			for i, data := range files {
				resp, err := call(a, cmd.Context(), func(ctx context.Context, c *clients) (*customsv1.ImportPassReceiptsResponse, error) {
					return c.gate.ImportPassReceipts(ctx, &customsv1.ImportPassReceiptsRequest{Messages: [][]byte{data}})
				})
				if err != nil {
					_ = l.Close()
					return fmt.Errorf("%s: %w", args[i], err)
				}
				for _, r := range resp.GetResults() {
					row := []string{args[i], r.GetMessageType(), r.GetMessageId(), r.GetPassNo(), r.GetCustomsNo(),
						strings.TrimPrefix(r.GetStatus().String(), "PASS_STATUS_"), strconv.FormatBool(r.GetChanged())}
					if err := l.Add(r, row); err != nil {
						return err
					}
				}
			}
			return l.Close()
		}),
	}
}
