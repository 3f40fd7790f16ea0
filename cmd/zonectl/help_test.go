package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/zoneledger/zoneledger/proto/zoneledger"
)

// keptLongs are the rpcSpecs (by file and command name) that keep a long
// of their own, each with why the protos' comment on their RPC cannot serve
// both a gRPC user and a user of the command. Empty: every command's help
// is its RPC's comment, then what the command adds (more).
var keptLongs = map[string]string{}

// TestRPCSpecsTakeTheirHelpFromTheProtos: a command that is one call says
// what the call does once, in the protos' comment on its RPC, so that gRPC
// users read the same rules as zonectl users; an rpcSpec adds only what
// the command does (more), and keeps a long only where keptLongs says why.
func TestRPCSpecsTakeTheirHelpFromTheProtos(t *testing.T) {
	files, err := filepath.Glob("cmd_*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no command files: %v", err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CompositeLit: // rpcSpec{..., long: ...}
				use := ""
				for _, e := range n.Elts {
					if kv, ok := e.(*ast.KeyValueExpr); ok && isIdent(kv.Key, "use") {
						if lit, ok := kv.Value.(*ast.BasicLit); ok {
							use = strings.Trim(lit.Value, "\"`")
						}
					}
				}
				for _, e := range n.Elts {
					if kv, ok := e.(*ast.KeyValueExpr); ok && isIdent(kv.Key, "long") && keptLongs[name+":"+use] == "" {
						t.Errorf("%s: rpcSpec %q has a long: say it in its RPC's comment in the .proto, and what only the command adds as more", fset.Position(kv.Pos()), use)
					}
				}
			case *ast.AssignStmt: // s.long = ... or s.long += ...
				for _, l := range n.Lhs {
					if sel, ok := l.(*ast.SelectorExpr); ok && sel.Sel.Name == "long" {
						t.Errorf("%s: an rpcSpec's long is set: say it in its RPC's comment in the .proto, and what only the command adds as more", fset.Position(n.Pos()))
					}
				}
			}
			return true
		})
	}
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}

// TestCommandHelpIsTheRPCsCommentThenMore: the help of a command names the
// RPC it calls first, with the rules the protos give it, then what the
// command adds, once each.
func TestCommandHelpIsTheRPCsCommentThenMore(t *testing.T) {
	for _, c := range []struct {
		args []string
		rpc  protoreflect.FullName
		more string
	}{
		{[]string{"customs", "list", "declare"}, "zoneledger.customs.v1.DeclarationService.DeclareList", "Several lists: in order; the first refusal stops."},
		{[]string{"customs", "outzone", "out"}, "zoneledger.customs.v1.OutZoneService.MoveOutZone", "This command books OUT."},
		{[]string{"customs", "enterprise", "resume"}, "zoneledger.customs.v1.BookService.SetEnterpriseSuspended", ""},
	} {
		h := newHarness(t)
		h.nodial = true
		h.run(append(c.args, "--help")...)
		h.expect(exitOK)
		comment := zoneledger.Comment(c.rpc)
		if comment == "" {
			t.Fatalf("%s has no comment", c.rpc)
		}
		want := comment + "\n"
		if c.more != "" {
			want += "\n" + c.more + "\n"
		}
		if help := h.stdout.String(); !strings.HasPrefix(help, want+"\nUsage:") {
			t.Errorf("zonectl %s --help starts\n%s\nwant\n%s", strings.Join(c.args, " "), help[:min(len(help), len(want)+40)], want)
		}
	}
}
