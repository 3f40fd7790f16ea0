package grpcedge_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	errorsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/errors/v1"
)

// TestEveryReasonIsDeclaredInTheAPI: every reason the server can send is a
// value of zoneledger.errors.v1.Reason, and every value is one the server
// sends. The server's reasons are collected from its Go source (ledger/,
// customs/, cmd/zoneledger/): the constants named Reason*, the Reason
// fields of ledger.Error literals and the reason argument of Errorf calls,
// wherever they are string literals.
func TestEveryReasonIsDeclaredInTheAPI(t *testing.T) {
	sent := map[string]string{} // reason -> where
	fset := token.NewFileSet()
	for _, dir := range []string{"../../ledger", "../../customs", "../../cmd/zoneledger"} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				return err
			}
			note := func(lit ast.Expr) {
				bl, ok := lit.(*ast.BasicLit)
				if !ok || bl.Kind != token.STRING {
					return
				}
				s, err := strconv.Unquote(bl.Value)
				if err == nil {
					sent[s] = fset.Position(bl.Pos()).String()
				}
			}
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.GenDecl:
					if n.Tok != token.CONST {
						return true
					}
					for _, spec := range n.Specs {
						vs := spec.(*ast.ValueSpec)
						for i, name := range vs.Names {
							if strings.HasPrefix(name.Name, "Reason") && i < len(vs.Values) {
								note(vs.Values[i])
							}
						}
					}
				case *ast.CompositeLit:
					if !isErrorType(n.Type) {
						return true
					}
					for _, e := range n.Elts {
						if kv, ok := e.(*ast.KeyValueExpr); ok {
							if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Reason" {
								note(kv.Value)
							}
						}
					}
				case *ast.CallExpr:
					if sel, ok := n.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Errorf" && len(n.Args) > 1 {
						if k, ok := n.Args[0].(*ast.SelectorExpr); ok && strings.HasPrefix(k.Sel.Name, "Kind") {
							note(n.Args[1])
						}
					}
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(sent) < 50 {
		t.Fatalf("found only %d reasons in the server's source: the scan is broken", len(sent))
	}
	var missing, unsent []string
	for r, where := range sent {
		if v, ok := errorsv1.Reason_value[r]; !ok || v == 0 {
			missing = append(missing, r+" ("+where+")")
		}
	}
	for name, v := range errorsv1.Reason_value {
		if _, ok := sent[name]; !ok && v != 0 {
			unsent = append(unsent, name)
		}
	}
	sort.Strings(missing)
	sort.Strings(unsent)
	for _, m := range missing {
		t.Errorf("the server sends reason %s, which zoneledger.errors.v1.Reason does not declare: add it, documented, to proto/zoneledger/errors/v1/reason.proto", m)
	}
	for _, u := range unsent {
		t.Errorf("zoneledger.errors.v1.Reason declares %s, which the server never sends: a stale or misspelt value", u)
	}
}

// isErrorType reports whether a composite literal's type is ledger.Error.
func isErrorType(e ast.Expr) bool {
	switch t := e.(type) {
	case *ast.Ident:
		return t.Name == "Error"
	case *ast.SelectorExpr:
		return t.Sel.Name == "Error"
	}
	return false
}
