package main

import (
	"io"
	"maps"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"google.golang.org/protobuf/proto"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

// runSpec runs zonectl with one more command, built by rpcCmd from spec,
// under the root, and returns the exit code.
func runSpec[M proto.Message](h *harness, spec rpcSpec, v view[M], args ...string) int {
	h.t.Helper()
	a := h.app(args)
	root := a.rootCmd()
	root.AddCommand(rpcCmd(a, spec, v))
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(h.t.Context())
	h.lastRun = a.exitCode(cmd, err)
	return h.lastRun
}

// rndUseSpec exercises every bind form: a renamed flag, an argument-free
// request with repeated message fields written A:B:C (one with an enum),
// and flags left to their fields' names.
var rndUseSpec = rpcSpec{use: "use", method: customsv1.RndService_FileRndUse_FullMethodName, short: "File a use", more: "Prints the use.",
	bind: "inner-no=inner_no material=materials(book_seq:quantity:lot) made=outputs(book_seq:quantity:kind:value)"}

var testUseView = cols[*customsv1.RndUse]("use_no", "project", "len:materials", "len:outputs")

// TestRPCCommandSendsTheFlagsAsTheRequest: each flag sets its field, the
// repeated A:B:C flags add elements (enums by name, in any case), and the
// answer's one RndUse prints through the view.
func TestRPCCommandSendsTheFlagsAsTheRequest(t *testing.T) {
	h := newHarness(t)
	var got *customsv1.FileRndUseRequest
	h.calls[customsv1.RndService_FileRndUse_FullMethodName] = func(r *customsv1.FileRndUseRequest) (*customsv1.FileRndUseResponse, error) {
		got = r
		return &customsv1.FileRndUseResponse{Use: &customsv1.RndUse{UseNo: "YF1", Project: r.GetProject(), Materials: r.GetMaterials(), Outputs: r.GetOutputs()}}, nil
	}
	runSpec(h, rndUseSpec, testUseView, "use", "--book", "H3", "--inner-no", "U-1", "--project", "P1", "--date", "2026-12-01",
		"--material", "1:2.125:LOT-A", "--material", "2:0.3", "--made", "4:1:Prototype:1200.50", "-o", "csv")
	h.expect(exitOK)
	want := &customsv1.FileRndUseRequest{InnerNo: "U-1", BookNo: "H3", Project: "P1", Date: "2026-12-01",
		Materials: []*customsv1.RndMaterial{{BookSeq: 1, Quantity: "2.125", Lot: "LOT-A"}, {BookSeq: 2, Quantity: "0.3"}},
		Outputs:   []*customsv1.RndOutput{{BookSeq: 4, Quantity: "1", Kind: customsv1.RndOutputKind_RND_OUTPUT_KIND_PROTOTYPE, Value: "1200.50"}}}
	if !proto.Equal(got, want) {
		t.Fatalf("request\n%v\nwant\n%v", got, want)
	}
	if out := h.stdout.String(); out != "use_no,project,materials,outputs\nYF1,P1,2,1\n" {
		t.Fatalf("output:\n%s", out)
	}
}

// TestRPCCommandRefusesWhatTheProtosRefuseBeforeSending: a missing
// required flag, an enum value that does not exist, a number that is not
// one and a value the protos' rules refuse are usage errors naming the
// flag, and nothing is sent.
func TestRPCCommandRefusesWhatTheProtosRefuseBeforeSending(t *testing.T) {
	for _, c := range []struct {
		args []string
		says string
	}{
		{[]string{"use", "--inner-no", "U", "--project", "P", "--material", "1:1"}, `"book"`},
		{[]string{"use", "--book", "H3", "--inner-no", "U", "--project", "P", "--material", "1:1", "--made", "4:1:finished"}, "prototype, sample, scrap"},
		{[]string{"use", "--book", "H3", "--inner-no", "U", "--project", "P", "--material", "one:1"}, `invalid argument "one:1" for "--material" flag`},
		{[]string{"use", "--book", "H3", "--inner-no", "U", "--project", "P", "--material", "1:1", "--date", "today"}, "error: --date: "},
		{[]string{"use", "--book", "H3", "--inner-no", "U", "--project", "P", "--material", "1:1e3"}, "error: --material: materials[0].quantity: "},
		{[]string{"use", "--book", "H3", "--inner-no", "U", "--project", "P"}, `"material"`},
	} {
		h := newHarness(t)
		h.nodial = true
		if code := runSpec(h, rndUseSpec, testUseView, c.args...); code != exitUsage || !strings.Contains(h.stderr.String(), c.says) {
			t.Errorf("zonectl %s: exit %d, want 2 with %q; stderr: %s", strings.Join(c.args, " "), code, c.says, h.stderr.String())
		}
	}
}

// TestRPCCommandHelpIsTheProtos: each flag's help is the protos' comment on
// its field, with the values of an enum and whether it is required, and
// the usage line names the arguments and the required flags.
func TestRPCCommandHelpIsTheProtos(t *testing.T) {
	h := newHarness(t)
	h.nodial = true
	runSpec(h, rndUseSpec, testUseView, "use", "--help")
	h.expect(exitOK)
	help := h.stdout.String()
	for _, want := range []string{
		"use --inner-no INNER_NO --book BOOK --project PROJECT --material BOOK_SEQ:QUANTITY:LOT",
		"--book string", "Book number (required)",
		"--date string", `Business date, "YYYY-MM-DD", not in the future; empty: today` + "\n",
		"FileRndUse books an R&D use (研发耗用) of a project",     // the RPC's comment, as the spec has no long
		"inner_no is the idempotency key.\n\nPrints the use.", // then more
		"--made BOOK_SEQ:QUANTITY:KIND:VALUE", "The outputs made, at most 1000: each its book line, quantity, kind (PROTOTYPE, SAMPLE or SCRAP) and the carrying value of its lot in CNY (empty: 0); repeatable\n",
	} {
		if !strings.Contains(help, want) {
			t.Errorf("help lacks %q:\n%s", want, help)
		}
	}
}

// TestRPCCommandTakesItsArguments: an ARG=path binding is a positional
// argument, required in number.
func TestRPCCommandTakesItsArguments(t *testing.T) {
	spec := rpcSpec{use: "get", method: customsv1.RndService_GetRndUse_FullMethodName, short: "Show a use", bind: "USE=use_no"}
	h := newHarness(t)
	h.calls[customsv1.RndService_GetRndUse_FullMethodName] = func(r *customsv1.GetRndUseRequest) (*customsv1.GetRndUseResponse, error) {
		return &customsv1.GetRndUseResponse{Use: &customsv1.RndUse{UseNo: r.GetUseNo(), Project: "P9"}}, nil
	}
	runSpec(h, spec, testUseView, "get", "YF7", "-o", "csv")
	h.expect(exitOK)
	if !strings.Contains(h.stdout.String(), "YF7,P9,0,0") {
		t.Fatalf("output:\n%s", h.stdout.String())
	}
	h = newHarness(t)
	h.nodial = true
	if code := runSpec(h, spec, testUseView, "get"); code != exitUsage || !strings.Contains(h.stderr.String(), "USE") {
		t.Fatalf("no argument: exit %d, %s", code, h.stderr.String())
	}
	if code := runSpec(h, spec, testUseView, "get", strings.Repeat("Y", 65)); code != exitUsage || !strings.HasPrefix(h.stderr.String(), "error: USE: ") {
		t.Fatalf("an argument the protos refuse: exit %d, %s", code, h.stderr.String())
	}
}

// TestRPCCommandPrintsEveryPage: a list whose request pages is asked for
// page after page until the server gives no next token, and prints as one
// list.
func TestRPCCommandPrintsEveryPage(t *testing.T) {
	spec := rpcSpec{use: "every-book", method: ledgerv1.LedgerService_ListBooks_FullMethodName, short: "List books"}
	h := newHarness(t)
	var tokens []string
	h.calls[ledgerv1.LedgerService_ListBooks_FullMethodName] = func(r *ledgerv1.ListBooksRequest) (*ledgerv1.ListBooksResponse, error) {
		tokens = append(tokens, r.GetPageToken())
		if r.GetPageSize() != pageSize || r.GetOwner() != "E1" {
			t.Errorf("request %v", r)
		}
		if r.GetPageToken() == "" {
			return &ledgerv1.ListBooksResponse{Books: []*ledgerv1.Book{{BookId: "A"}, {BookId: "B"}}, NextPageToken: "t2"}, nil
		}
		return &ledgerv1.ListBooksResponse{Books: []*ledgerv1.Book{{BookId: "C"}}}, nil
	}
	runSpec(h, spec, cols[*ledgerv1.Book]("book_id"), "every-book", "--owner", "E1", "-o", "csv")
	h.expect(exitOK)
	if out := h.stdout.String(); out != "book_id\nA\nB\nC\n" || strings.Join(tokens, ",") != ",t2" {
		t.Fatalf("tokens %q, output:\n%s", tokens, out)
	}
}

// TestEveryFlagHasHelp: a flag whose field the protos leave without a
// comment would have no help; every command's every flag has some.
func TestEveryFlagHasHelp(t *testing.T) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		documented(c) // as help does
		c.LocalFlags().VisitAll(func(f *pflag.Flag) {
			if strings.TrimSpace(strings.TrimSuffix(f.Usage, "(required)")) == "" {
				t.Errorf("%s --%s has no help: write a comment on its field in the .proto", c.CommandPath(), f.Name)
			}
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newApp(io.Discard, io.Discard).rootCmd())
}

// TestNoFlagHidesAGlobalOne: a command's own flag named like a flag every
// command has (-o/--output, --addr, …) hides it on that command, so `-o
// json` would silently not apply there (processing report file's --output
// did so until it became --made).
func TestNoFlagHidesAGlobalOne(t *testing.T) {
	var walk func(c *cobra.Command, global map[string]string)
	walk = func(c *cobra.Command, global map[string]string) {
		c.LocalFlags().VisitAll(func(f *pflag.Flag) {
			if owner, ok := global["--"+f.Name]; ok {
				t.Errorf("%s --%s hides %s's flag of that name: rename it", c.CommandPath(), f.Name, owner)
			}
			if owner, ok := global["-"+f.Shorthand]; ok && f.Shorthand != "" {
				t.Errorf("%s -%s (--%s) hides %s's -%s: give it no shorthand or another", c.CommandPath(), f.Shorthand, f.Name, owner, f.Shorthand)
			}
		})
		inner := maps.Clone(global)
		c.PersistentFlags().VisitAll(func(f *pflag.Flag) {
			inner["--"+f.Name] = c.CommandPath()
			if f.Shorthand != "" {
				inner["-"+f.Shorthand] = c.CommandPath()
			}
		})
		for _, sub := range c.Commands() {
			walk(sub, inner)
		}
	}
	walk(newApp(io.Discard, io.Discard).rootCmd(), map[string]string{})
}
