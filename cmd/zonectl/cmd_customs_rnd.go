package main

import (
	"context"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// The R&D centre (研发设计中心): RndService — bonded R&D projects and the
// uses the enterprise reports per project.

func (a *app) rndCmd() *cobra.Command {
	c := group("rnd", "Bonded R&D (保税研发): projects and uses written off by actual use",
		group("project", "File, close and show R&D projects with what their uses consumed and made",
			a.rndProjectFileCmd(), a.rndProjectCloseCmd(), a.rndProjectGetCmd()),
		group("use", "File and show R&D uses (研发耗用)", a.rndUseFileCmd(), a.rndUseGetCmd()))
	c.Long = `The R&D centre (研发设计中心) of a bonded R&D book (kind rnd):

  project  an R&D project (研发项目): a code unique on the book, a name, a
           term; a closed project takes no more uses.
  use      what the enterprise actually used for a project (研发耗用, no
           unit consumption): bonded materials consumed, prototypes,
           samples and scrap made as new lots of the project, in one journal.
           Equipment is held apart: never consumed nor made by a use.

The book's owner enterprise files; customs reads every book.`
	return c
}

var rndProjectHeader = []string{"book_no", "code", "name", "status", "start", "end", "what", "line", "kind", "quantity"}

func rndProjectRows(r *customsv1.GetRndProjectResponse) [][]string {
	p := r.GetProject()
	row := func(what string, t *customsv1.RndLineTotal) []string {
		line, kind, qty := "", "", ""
		if t != nil {
			line, qty = strconv.Itoa(int(t.GetBookSeq())), t.GetQuantity()
			if t.GetKind() != customsv1.RndOutputKind_RND_OUTPUT_KIND_UNSPECIFIED {
				kind = enumName(t.GetKind(), "RND_OUTPUT_KIND_")
			}
		}
		return []string{p.GetBookNo(), p.GetCode(), p.GetName(), enumName(p.GetStatus(), "RND_PROJECT_STATUS_"), p.GetStart(), p.GetEnd(), what, line, kind, qty}
	}
	var rows [][]string
	for _, t := range r.GetConsumed() {
		rows = append(rows, row("consumed", t))
	}
	for _, t := range r.GetMade() {
		rows = append(rows, row("made", t))
	}
	if len(rows) == 0 {
		rows = append(rows, row("", nil))
	}
	return rows
}

// rndProjectView prints a project with its totals.
var rndProjectView = view[*customsv1.GetRndProjectResponse]{header: rndProjectHeader, rows: rndProjectRows}

func (a *app) rndProjectFileCmd() *cobra.Command {
	var book, name, start, end string
	return leaf(&cobra.Command{
		Use:   "file CODE --book BOOK --name NAME [--start YYYY-MM-DD] [--end YYYY-MM-DD]",
		Short: "File an R&D project on a bonded R&D book (safe to repeat)",
		Example: `  zonectl customs rnd project file P-CELL --book H31050000003 --name "battery cell" \
      --start 2026-11-01 --end 2027-10-31`,
		Args:        exactArgs(1, "CODE"),
		Annotations: gives("book", "name"),
		RunE: a.act(func(cmd *cobra.Command, args []string) error {
			return show(a, cmd, rndProjectView, func(ctx context.Context, cl *clients) (*customsv1.GetRndProjectResponse, error) {
				r, err := cl.rnd.FileRndProject(ctx, &customsv1.FileRndProjectRequest{BookNo: book, Code: args[0], Name: name, Start: start, End: end})
				return &customsv1.GetRndProjectResponse{Project: r.GetProject()}, err
			})
		}),
	},
		flagSpec{&book, "book", "bonded R&D book number (required)"},
		flagSpec{&name, "name", "the project's name (required)"},
		flagSpec{ymd(&start), "start", "first day, YYYY-MM-DD (default: today)"},
		flagSpec{ymd(&end), "end", "last day, YYYY-MM-DD (default: open-ended)"})
}

func (a *app) rndProjectCloseCmd() *cobra.Command {
	var book string
	return leaf(&cobra.Command{
		Use:         "close CODE --book BOOK",
		Short:       "Close an R&D project: it takes no more uses (safe to repeat)",
		Example:     `  zonectl customs rnd project close P-CELL --book H31050000003`,
		Args:        exactArgs(1, "CODE"),
		Annotations: gives("book"),
		RunE: a.act(func(cmd *cobra.Command, args []string) error {
			return show(a, cmd, rndProjectView, func(ctx context.Context, cl *clients) (*customsv1.GetRndProjectResponse, error) {
				r, err := cl.rnd.CloseRndProject(ctx, &customsv1.CloseRndProjectRequest{BookNo: book, Code: args[0]})
				return &customsv1.GetRndProjectResponse{Project: r.GetProject()}, err
			})
		}),
	}, flagSpec{&book, "book", "bonded R&D book number (required)"})
}

func (a *app) rndProjectGetCmd() *cobra.Command {
	var book string
	return leaf(&cobra.Command{
		Use:         "get CODE --book BOOK",
		Short:       "Show a project and, per line, what its uses consumed and made",
		Example:     `  zonectl customs rnd project get P-CELL --book H31050000003 -o csv`,
		Args:        exactArgs(1, "CODE"),
		Annotations: gives("book"),
		RunE: a.act(func(cmd *cobra.Command, args []string) error {
			return sendShow(a, cmd, rndProjectView, customsv1.RndServiceClient.GetRndProject,
				&customsv1.GetRndProjectRequest{BookNo: book, Code: args[0]})
		}),
	}, flagSpec{&book, "book", "bonded R&D book number (required)"})
}

var rndUseHeader = []string{"use_no", "inner_no", "book_no", "project", "date", "what", "line", "kind", "quantity", "lots"}

func rndUseRows(u *customsv1.RndUse) [][]string {
	var rows [][]string
	for _, m := range u.GetMaterials() {
		var lots []string
		for _, q := range m.GetLots() {
			lots = append(lots, q.GetLot()+"="+q.GetQuantity())
		}
		rows = append(rows, []string{u.GetUseNo(), u.GetInnerNo(), u.GetBookNo(), u.GetProject(), u.GetDate(), "consumed",
			strconv.Itoa(int(m.GetBookSeq())), "", m.GetQuantity(), strings.Join(lots, " ")})
	}
	for _, o := range u.GetOutputs() {
		rows = append(rows, []string{u.GetUseNo(), u.GetInnerNo(), u.GetBookNo(), u.GetProject(), u.GetDate(), "made",
			strconv.Itoa(int(o.GetBookSeq())), enumName(o.GetKind(), "RND_OUTPUT_KIND_"), o.GetQuantity(), o.GetLot()})
	}
	return rows
}

var rndKinds = map[string]customsv1.RndOutputKind{
	"prototype": customsv1.RndOutputKind_RND_OUTPUT_KIND_PROTOTYPE,
	"sample":    customsv1.RndOutputKind_RND_OUTPUT_KIND_SAMPLE,
	"scrap":     customsv1.RndOutputKind_RND_OUTPUT_KIND_SCRAP,
}

// parseRndOutput reads SEQ:QTY:KIND[:VALUE].
func parseRndOutput(s string) (*customsv1.RndOutput, error) {
	p := strings.Split(s, ":")
	seq, err := strconv.Atoi(p[0])
	if len(p) < 3 || len(p) > 4 || err != nil || seq < 1 {
		return nil, usagef("--made %q: write SEQ:QTY:KIND[:VALUE], KIND prototype, sample or scrap", s)
	}
	k, ok := rndKinds[strings.ToLower(p[2])]
	if !ok {
		return nil, usagef("--made %q: the kind %q is not prototype, sample or scrap", s, p[2])
	}
	o := &customsv1.RndOutput{BookSeq: int32(seq), Quantity: p[1], Kind: k}
	if len(p) > 3 {
		o.Value = p[3]
	}
	return o, nil
}

// rndUseView prints a use, one row per material and output.
var rndUseView = view[*customsv1.RndUse]{header: rndUseHeader, rows: rndUseRows}

func (a *app) rndUseFileCmd() *cobra.Command {
	var book, inner, project, date string
	var materials, outputs []string
	return leaf(&cobra.Command{
		Use:   "file --book BOOK --inner-no N --project CODE --material SEQ:QTY[:LOT]... [--made SEQ:QTY:KIND[:VALUE]]...",
		Short: "Report what a project actually used and made (safe to repeat)",
		Long: `Report an R&D use (研发耗用) of a project: each --material the bonded material
actually used (its book line, the quantity in its declared unit, optionally the
lot; default oldest first), each --made a prototype, sample or scrap made
(its book line, quantity, kind, optionally the lot's value in CNY). The
materials leave the book and the outputs form new lots of the project, in one
journal; a material that would go below zero is refused and nothing is booked.
--inner-no is the idempotency key.`,
		Example: `  zonectl customs rnd use file --book H31050000003 --inner-no YF-0001 --project P-CELL \
      --material 1:2.5 --material 2:0.3 --made 4:1:prototype:1200`,
		Annotations: gives("book", "inner-no", "project", "material"),
		RunE: a.act(func(cmd *cobra.Command, _ []string) error {
			req := &customsv1.FileRndUseRequest{InnerNo: inner, BookNo: book, Project: project, Date: date}
			for _, s := range materials {
				p := strings.SplitN(s, ":", 3)
				seq, err := strconv.Atoi(p[0])
				if len(p) < 2 || err != nil || seq < 1 {
					return usagef("--material %q: write SEQ:QTY[:LOT]", s)
				}
				m := &customsv1.RndMaterial{BookSeq: int32(seq), Quantity: p[1]}
				if len(p) > 2 {
					m.Lot = p[2]
				}
				req.Materials = append(req.Materials, m)
			}
			for _, s := range outputs {
				o, err := parseRndOutput(s)
				if err != nil {
					return err
				}
				req.Outputs = append(req.Outputs, o)
			}
			return sendShow(a, cmd, rndUseView, customsv1.RndServiceClient.FileRndUse, req)
		}),
	},
		flagSpec{&book, "book", "bonded R&D book number (required)"},
		flagSpec{&inner, "inner-no", "the enterprise's own number: the idempotency key (required)"},
		flagSpec{&project, "project", "the project's code (required)"},
		flagSpec{ymd(&date), "date", "business date, YYYY-MM-DD, not in the future (default: today)"},
		flagSpec{array(&materials), "material", "a material used: SEQ:QTY[:LOT] (repeatable, required)"},
		flagSpec{array(&outputs), "made", "an output made: SEQ:QTY:KIND[:VALUE] (repeatable)"})
}

func (a *app) rndUseGetCmd() *cobra.Command {
	req := &customsv1.GetRndUseRequest{}
	return &cobra.Command{
		Use:     "get USE",
		Short:   "Show an R&D use (one row per material consumed and per output made)",
		Example: "  zonectl customs rnd use get YFH310500000032600000001",
		Args:    exactArgs(1, "USE"),
		RunE:    runShow(a, rndUseView, sendArg(customsv1.RndServiceClient.GetRndUse, req, &req.UseNo)),
	}
}
