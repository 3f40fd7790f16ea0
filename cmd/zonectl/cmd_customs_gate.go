package main

import (
	"context"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/zoneledger/zoneledger/cmd/zonectl/internal/input"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// Gate passes (核放单) and gate events.

func (a *app) passCmd() *cobra.Command {
	return group("pass", "File gate passes (核放单), record gate events, release or reject held vehicles",
		a.passCreateCmd(), a.passEventCmd(), a.passReleaseCmd(), a.passRejectCmd(), a.passDeleteCmd(),
		a.passGetCmd(), a.passLsCmd(), a.passMessageCmd(), a.passReceiptsCmd())
}

func (a *app) passCreateCmd() *cobra.Command {
	var ff fileFlags
	var related []string
	c := &cobra.Command{
		Use:   "create",
		Short: "File gate passes from a JSON file (safe to re-run)",
		Long: `File gate passes, one vehicle each, one CreatePass call per pass in file order.
inner_no is the idempotency key: re-running the file is safe; a different pass
under a used number is refused (DUPLICATE_DOCUMENT_NUMBER). The shape of
pass_type, bind_type, related_type and related_nos is checked by the server
(PASS_SHAPE).

--related NO (repeatable, or comma-separated) adds documents to related_nos,
so that a pass file can be written before the zone numbers the lists:
  PASS=$(zonectl customs pass create --file pass-in.json --related "$LIST" -q)
It is allowed only when the file holds one pass.

JSON: CreatePassRequest objects in protojson form (one, an array or JSON
Lines); weights (kg) are decimal strings.

  {"inner_no": "P-IN-0001", "book_no": "H31050000001", "pass_type": "2",
   "bind_type": "2", "io": "I", "related_type": "1",
   "vehicle": "沪A12345", "vehicle_weight": "10000",
   "gross_weight": "3600", "net_weight": "3400.5"}

pass_type: 1 先入区后报关, 2 一线一体化进出区, 3 二线进出区, 4 非报关进出区,
5 卡口登记货物, 6 空车进出区. bind_type: 1 一车多票, 2 一票一车, 3 一票多车.
related_type: 1 核注清单, 2 出入库单, 3 提运单.`,
		Example: `  zonectl customs pass create --file pass-in.json --related QD310526I000000001`,
		Args:    exactArgs(0, "no arguments"),
		RunE: a.act(func(cmd *cobra.Command, _ []string) error {
			docs, err := readInput(a, ff.file, func(r io.Reader) ([]input.Doc[*customsv1.CreatePassRequest], error) {
				return input.ReadPasses(r, ff.file)
			})
			if err != nil {
				return err
			}
			if len(related) > 0 {
				if len(docs) != 1 {
					return usagef("--related applies to a file with one pass; %s holds %d", ff.file, len(docs))
				}
				docs[0].Req.RelatedNos = append(docs[0].Req.RelatedNos, related...)
			}
			if ff.dryRun {
				a.noteDryRun(ff.file, len(docs), "passes")
				return nil
			}
			p := newDocPrinter(a, len(docs), ff.quiet, passView.header, passView.rows, (*customsv1.Pass).GetPassNo)
			return fileDocs(a, cmd.Context(), ff, "passes", docs, (*customsv1.CreatePassRequest).GetInnerNo,
				func(ctx context.Context, c *clients, req *customsv1.CreatePassRequest) (*customsv1.Pass, error) {
					resp, err := c.gate.CreatePass(ctx, req)
					return resp.GetPass(), err
				}, p)
		}),
	}
	ff.register(c, "pass (.json or .jsonl)", false)
	addQuiet(c, &ff.quiet, "pass")
	c.Flags().StringSliceVar(&related, "related", nil, "add a related document number (list, slip, bill of lading); repeatable")
	return c
}

func (a *app) passEventCmd() *cobra.Command {
	var eventID, vehicle, container, scale, at string
	var gate int32
	return leaf(&cobra.Command{
		Use:   "event PASS",
		Short: "Record a vehicle at the gate (customs; the gate system)",
		Long: `Record a vehicle at a gate with the scale's gross weight. The zone compares it
with the pass and its lists (vehicle, container, the weighed goods against the
declared gross weight, within the zone's tolerance). When they match the
vehicle is released (PASSED) and its goods are booked; otherwise the pass is
HELD with the reasons, nothing is booked, and customs releases it
('pass release') or turns the vehicle back ('pass reject'). A held pass is
not an error: the exit code is 0 and the reasons are printed.

--event-id is the gate system's id of the event and the idempotency key:
repeating the command returns the pass, and the event is recorded once.
Customs only.`,
		Example: `  zonectl customs pass event HF310526I000000001 --event-id GATE1-20260302-0042 \
      --vehicle 沪A12345 --scale-gross 13600`,
		Args: exactArgs(1, "PASS"),
		RunE: a.act(func(cmd *cobra.Command, args []string) error {
			req := &customsv1.RecordGateEventRequest{PassNo: args[0], EventId: eventID, Gate: gate, Vehicle: vehicle,
				Container: container, ScaleGross: scale}
			if gate < 0 || gate > 2 {
				return usagef("--gate %d: use 1 or 2 (2 only in a two-gate zone)", gate)
			}
			if at != "" {
				t, err := time.Parse(time.RFC3339, at)
				if err != nil {
					return usagef("--at %q: write an RFC 3339 time such as 2026-03-02T09:15:00+08:00", at)
				}
				req.At = timestamppb.New(t)
			}
			return show(a, cmd, passView, func(ctx context.Context, c *clients) (*customsv1.Pass, error) {
				resp, err := c.gate.RecordGateEvent(ctx, req)
				if p := resp.GetPass(); p.GetStatus() == customsv1.PassStatus_PASS_STATUS_HELD {
					a.note("pass %s is HELD: %s; nothing is booked until customs runs 'zonectl customs pass release %s' (or 'pass reject')",
						p.GetPassNo(), strings.Join(p.GetHoldReasons(), "; "), p.GetPassNo())
				}
				return resp.GetPass(), err
			})
		}),
	}, flagSpec{&eventID, "event-id", "the gate system's id of the event: the idempotency key (required)"},
		flagSpec{&vehicle, "vehicle", "vehicle plate seen (required)"},
		flagSpec{&scale, "scale-gross", "gross weight on the scale, kg, a decimal (required)"},
		flagSpec{&gate, "gate", "gate 1 or 2 in a two-gate zone (default 1)"},
		flagSpec{&container, "container", "container number seen"},
		flagSpec{&at, "at", "when the vehicle was at the gate, RFC 3339 (default: when the server receives the event)"})
}

func (a *app) passReleaseCmd() *cobra.Command {
	var note string
	return leaf(&cobra.Command{
		Use:   "release PASS",
		Short: "Release a held vehicle after inspection (customs)",
		Long: `Release a held pass after inspection: the vehicle passes and its goods are
booked as if the gate had released it. Every bound list must be approved by
then. Customs only. Releasing a released pass again returns it.`,
		Example: `  zonectl customs pass release HF310526E000000002 --note "inspected: packing heavier than declared"`,
		Args:    exactArgs(1, "PASS"),
		RunE: runActOn(a, passView, func(ctx context.Context, c *clients, no string) (*customsv1.ReleaseHoldResponse, error) {
			return c.gate.ReleaseHold(ctx, &customsv1.ReleaseHoldRequest{PassNo: no, Note: note})
		}),
	}, flagSpec{&note, "note", "customs remark, kept as the pass's note"})
}

func (a *app) passRejectCmd() *cobra.Command {
	var note string
	return leaf(&cobra.Command{
		Use:   "reject PASS",
		Short: "Turn a held vehicle back (customs)",
		Long: `Reject a held pass: the vehicle is turned back and nothing is booked; its lists
stay as they are and may go on another pass. Customs only. Rejecting a
rejected pass again returns it.`,
		Example: `  zonectl customs pass reject HF310526E000000002 --note "seal broken"`,
		Args:    exactArgs(1, "PASS"),
		RunE: runActOn(a, passView, func(ctx context.Context, c *clients, no string) (*customsv1.RejectHoldResponse, error) {
			return c.gate.RejectHold(ctx, &customsv1.RejectHoldRequest{PassNo: no, Note: note})
		}),
	}, flagSpec{&note, "note", "why the vehicle is turned back (required)"})
}

func (a *app) passDeleteCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "delete PASS...",
		Short:   "Delete passes whose vehicle has not passed the gate",
		Long:    `Delete passes whose vehicle has not passed the gate, in order. Deleting a deleted pass again returns it.`,
		Example: "  zonectl customs pass delete HF310526I000000003",
		Args:    minArgs(1, "at least one PASS"),
		RunE: runActOn(a, passView, func(ctx context.Context, c *clients, no string) (*customsv1.DeletePassResponse, error) {
			return c.gate.DeletePass(ctx, &customsv1.DeletePassRequest{PassNo: no})
		}),
	}
}

func (a *app) passGetCmd() *cobra.Command {
	req := &customsv1.GetPassRequest{}
	return &cobra.Command{
		Use:   "get PASS",
		Short: "Show one pass (one row per gate event in table and CSV)",
		Long: `Show one pass with its gate events: table and CSV print one row per event
(the pass's columns repeat), -o json the whole Pass with its lines.`,
		Example: "  zonectl customs pass get HF310526I000000001",
		Args:    exactArgs(1, "PASS"),
		RunE:    runShow(a, passEventsView, sendArg(customsv1.GateServiceClient.GetPass, req, &req.PassNo)),
	}
}

func (a *app) passLsCmd() *cobra.Command {
	var book, enterprise, status string
	return leaf(&cobra.Command{
		Use:     "ls",
		Aliases: []string{"list"},
		Short:   "List the passes you may read (all pages, number order)",
		Example: "  zonectl customs pass ls --status held",
		RunE: a.act(func(cmd *cobra.Command, _ []string) error {
			st, err := optEnum("--status", status, customsv1.PassStatus_value, "PASS_STATUS_")
			if err != nil {
				return err
			}
			return sendShowPages(a, cmd, passView, customsv1.GateServiceClient.ListPasses,
				&customsv1.ListPassesRequest{BookNo: book, Enterprise: enterprise, Status: customsv1.PassStatus(st)})
		}),
	}, flagSpec{&book, "book", "only passes of this book"},
		flagSpec{&enterprise, "enterprise", "only passes of this enterprise's books (USCC)"},
		flagSpec{&status, "status", "only passes in this status: applied, held, passed_first_gate, passed, rejected or deleted"})
}
