package main

import (
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"google.golang.org/protobuf/proto"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// Verification lists as the single window's messages: INV101 out and in,
// INV201 receipts in.

// listMessageCmds are the message commands of `zonectl customs list`.
func (a *app) listMessageCmds() []*cobra.Command {
	return []*cobra.Command{a.listMessageCmd(), a.listFileMessageCmd(), a.listReceiptsCmd()}
}

// outHelp is the help of --out of the commands that export a message.
const outHelp = "write the message to this file, or into this directory under the server's name (default: standard output)"

// listMessageFormat reads --format, or the file's extension when it is
// not given (.json: JSON; anything else: XML).
func listMessageFormat(format, file string) (customsv1.ListMessageFormat, error) {
	if format == "" {
		if strings.EqualFold(filepath.Ext(file), ".json") {
			return customsv1.ListMessageFormat_LIST_MESSAGE_FORMAT_JSON, nil
		}
		return customsv1.ListMessageFormat_LIST_MESSAGE_FORMAT_XML, nil
	}
	v, err := parseEnum("--format", format, customsv1.ListMessageFormat_value, "LIST_MESSAGE_FORMAT_")
	return customsv1.ListMessageFormat(v), err
}

func (a *app) listMessageCmd() *cobra.Command {
	var out string
	c := rpcCmd(a, rpcSpec{use: "message", method: customsv1.DeclarationService_ExportListMessage_FullMethodName,
		short: "A list as the single window's INV101 message (XML or the zone systems' JSON)",
		more: `Without --out the message goes to standard output; --out FILE writes the
file, --out DIR writes it into DIR under the server's name, and stderr says
where.`,
		example: `  zonectl customs list message QD310526I000000001 > list.xml
  zonectl customs list message QD310526I000000001 --format json --out outbox/`,
		bind: "LIST=list_no",
		write: func(req, resp proto.Message) error {
			r := resp.(*customsv1.ExportListMessageResponse)
			return a.writeMessage(out, r.GetMessage(), r.GetFileName(), "list "+req.(*customsv1.ExportListMessageRequest).GetListNo()+" as INV101")
		}}, view[*customsv1.ExportListMessageResponse]{})
	c.Flags().StringVar(&out, "out", "", outHelp)
	return c
}

func (a *app) listFileMessageCmd() *cobra.Command {
	var format string
	return leaf(&cobra.Command{
		Use:   "file-message FILE [--format xml|json]",
		Short: "File an INV101 message from an ERP or WMS as a list (safe to re-run)",
		Long: `File the INV101 message in FILE (XML in its signed envelope, or the JSON form;
by --format, else by the extension: .json is JSON) as a verification list,
exactly as "list create" would file it: the same rules and the same refusals.
DelcareFlag 1 (申报) also declares the list, as "list declare"; 0 (暂存) only
files it as a draft. RE-RUNNING IS SAFE: EtpsInnerInvtNo is the idempotency
key; the same message again returns the list. A message that does not parse
or breaks the message's field rules is refused (LIST_MESSAGE_INVALID) naming
the element, e.g. Signature/.../InvtListType[0]/DclQty or list[0]/dclQty.`,
		Example: `  zonectl customs list file-message inbox/ERP-IN-2026-0001.xml
  zonectl customs list file-message wms/order-77.json`,
		Args: exactArgs(1, "FILE"),
		RunE: a.act(func(cmd *cobra.Command, args []string) error {
			f, err := listMessageFormat(format, args[0])
			if err != nil {
				return err
			}
			files, err := readMessageFiles(args)
			if err != nil {
				return err
			}
			data := files[0]
			return sendShow(a, cmd, listView, customsv1.DeclarationServiceClient.FileListMessage,
				&customsv1.FileListMessageRequest{Message: data, Format: f})
		}),
	}, flagSpec{&format, "format", "xml or json (default: by the file's extension; .json is JSON)"})
}

// receiptView prints what each receipt did.
var receiptView = view[*customsv1.ImportListReceiptsResponse]{
	header: []string{"message_id", "list_no", "customs_no", "customs_stage", "status", "changed"},
	rows: func(r *customsv1.ImportListReceiptsResponse) [][]string {
		var out [][]string
		for _, o := range r.GetOutcomes() {
			l := o.GetList()
			out = append(out, []string{o.GetMessageId(), l.GetListNo(), l.GetCustomsNo(), l.GetCustomsStage(),
				strings.TrimPrefix(l.GetStatus().String(), "LIST_STATUS_"), strconv.FormatBool(o.GetChanged())})
		}
		return out
	},
}

func (a *app) listReceiptsCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "receipts FILE...",
		Short: "Import customs' INV201 receipts of lists (customs or admin)",
		Long: `Import customs' INV201 receipts, one XML file each, in the order given, in
one call (at most 1000 files). Each stores the customs number on its list
(found by that number, or by the enterprise and its EtpsInnerInvtNo) and
moves it: approved, returned with customs' remark, pre-deducted (预核扣),
deducted (已核扣), written off (已核销). The table shows each list after its
receipt; changed is false for a receipt sent before or of an earlier stage.
Every file is read first: a file that does not parse, or a code zoneledger
does not read, refuses the call before anything is applied
(messages[i]/... names the file and element). Re-running is safe.`,
		Example: `  zonectl customs list receipts inbox/*.INV`,
		Args:    minArgs(1, "at least one FILE"),
		RunE: a.act(func(cmd *cobra.Command, args []string) error {
			if len(args) > 1000 {
				return usagef("%d files: import at most 1000 receipts per run", len(args))
			}
			msgs, err := readMessageFiles(args)
			if err != nil {
				return err
			}
			return sendShow(a, cmd, receiptView, customsv1.DeclarationServiceClient.ImportListReceipts, &customsv1.ImportListReceiptsRequest{Messages: msgs})
		}),
	}
}
