package main

import (
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"google.golang.org/protobuf/proto"

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

// rndProjectAnswer prints the project a file or close answers, as get
// prints a project without totals.
func rndProjectAnswer[R interface {
	proto.Message
	GetProject() *customsv1.RndProject
}]() view[R] {
	return view[R]{header: rndProjectHeader, rows: func(r R) [][]string {
		return rndProjectRows(&customsv1.GetRndProjectResponse{Project: r.GetProject()})
	}}
}

func (a *app) rndProjectFileCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "file", method: customsv1.RndService_FileRndProject_FullMethodName,
		short: "File an R&D project on a bonded R&D book (safe to repeat)",
		example: `  zonectl customs rnd project file P-CELL --book H31050000003 --name "battery cell" \
      --start 2026-11-01 --end 2027-10-31`,
		bind: "CODE=code"}, rndProjectAnswer[*customsv1.FileRndProjectResponse]())
}

func (a *app) rndProjectCloseCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "close", method: customsv1.RndService_CloseRndProject_FullMethodName,
		short:   "Close an R&D project: it takes no more uses (safe to repeat)",
		example: `  zonectl customs rnd project close P-CELL --book H31050000003`,
		bind:    "CODE=code"}, rndProjectAnswer[*customsv1.CloseRndProjectResponse]())
}

func (a *app) rndProjectGetCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "get", method: customsv1.RndService_GetRndProject_FullMethodName,
		short:   "Show a project and, per line, what its uses consumed and made",
		example: `  zonectl customs rnd project get P-CELL --book H31050000003 -o csv`,
		bind:    "CODE=code"}, rndProjectView)
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

// rndUseView prints a use, one row per material and output.
var rndUseView = view[*customsv1.RndUse]{header: rndUseHeader, rows: rndUseRows}

func (a *app) rndUseFileCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "file", method: customsv1.RndService_FileRndUse_FullMethodName,
		short: "Report what a project actually used and made (safe to repeat)",
		example: `  zonectl customs rnd use file --book H31050000003 --inner-no YF-0001 --project P-CELL \
      --material 1:2.5 --material 2:0.3 --made 4:1:prototype:1200`,
		bind: "inner-no=inner_no material=materials(book_seq:quantity!:lot) made=outputs(book_seq:quantity:kind!:value)"}, rndUseView)
}

func (a *app) rndUseGetCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "get", method: customsv1.RndService_GetRndUse_FullMethodName,
		short:   "Show an R&D use (one row per material consumed and per output made)",
		example: "  zonectl customs rnd use get YFH310500000032600000001",
		bind:    "USE=use_no"}, rndUseView)
}
