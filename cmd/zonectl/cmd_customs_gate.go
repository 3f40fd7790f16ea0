package main

import (
	"context"
	"io"
	"strings"

	"github.com/spf13/cobra"

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
	return rpcCmd(a, rpcSpec{use: "event", method: customsv1.GateService_RecordGateEvent_FullMethodName,
		short: "Record a vehicle at the gate (customs; the gate system)",
		more:  `A held pass exits 0 and prints the reasons.`,
		example: `  zonectl customs pass event HF310526I000000001 --event-id GATE1-20260302-0042 \
      --vehicle 沪A12345 --scale-gross 13600`,
		bind: "PASS=pass_no"}, view[*customsv1.Pass]{header: passView.header, rows: func(p *customsv1.Pass) [][]string {
		if p.GetStatus() == customsv1.PassStatus_PASS_STATUS_HELD {
			a.note("pass %s is HELD: %s; nothing is booked until customs runs 'zonectl customs pass release %s' (or 'pass reject')",
				p.GetPassNo(), strings.Join(p.GetHoldReasons(), "; "), p.GetPassNo())
		}
		return passView.rows(p)
	}})
}

func (a *app) passReleaseCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "release", method: customsv1.GateService_ReleaseHold_FullMethodName,
		short:   "Release a held vehicle after inspection (customs)",
		example: `  zonectl customs pass release HF310526E000000002 --note "inspected: packing heavier than declared"`,
		bind:    "PASS=pass_no"}, passView)
}

func (a *app) passRejectCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "reject", method: customsv1.GateService_RejectHold_FullMethodName,
		short:   "Turn a held vehicle back (customs)",
		example: `  zonectl customs pass reject HF310526E000000002 --note "seal broken"`,
		bind:    "PASS=pass_no"}, passView)
}

func (a *app) passDeleteCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "delete", method: customsv1.GateService_DeletePass_FullMethodName,
		short:   "Delete passes whose vehicle has not passed the gate",
		more:    `Several passes: in order; the first refusal stops.`,
		example: "  zonectl customs pass delete HF310526I000000003",
		bind:    "PASS...=pass_no"}, passView)
}

func (a *app) passGetCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "get", method: customsv1.GateService_GetPass_FullMethodName,
		short: "Show one pass (one row per gate event in table and CSV)",
		more: `Table and CSV print one row per gate event (the pass's columns repeat); -o json
prints the whole Pass with its lines.`,
		example: "  zonectl customs pass get HF310526I000000001",
		bind:    "PASS=pass_no"}, passEventsView)
}

func (a *app) passLsCmd() *cobra.Command {
	c := rpcCmd(a, rpcSpec{use: "ls", method: customsv1.GateService_ListPasses_FullMethodName,
		short:   "List the passes you may read (all pages, number order)",
		example: "  zonectl customs pass ls --status held"}, passView)
	c.Aliases = []string{"list"}
	return c
}
