package tests

import (
	"go/ast"
	"strconv"
	"strings"
	"testing"
)

// TestCustomsCommitsThroughTheLedgerSeam: the customs packages commit a
// change that writes documents and posts journals only through the seam
// the ledger declares (ledger.ReadWriter's ReadWriteTx, DESIGN.md "One
// seam for documents and journals"). So none of their non-test files
// imports ledger/pgstore, type-asserts its ledger or store to find another
// way in, or declares an interface carrying a pgx.Tx (the shape of a
// private way to post in its own transaction).
func TestCustomsCommitsThroughTheLedgerSeam(t *testing.T) {
	checked := 0
	for _, sf := range moduleSources(t) {
		if !strings.HasPrefix(sf.path, "customs/") || strings.HasSuffix(sf.path, "_test.go") {
			continue
		}
		checked++
		for _, imp := range sf.file.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); p == "github.com/zoneledger/zoneledger/ledger/pgstore" {
				t.Errorf("%s imports ledger/pgstore: use the ledger.ReadWriter it is given", sf.path)
			}
		}
		ast.Inspect(sf.file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.TypeAssertExpr:
				if name := operandName(n.X); name == "ledger" || name == "store" {
					t.Errorf("%s: type assertion on %s: commit through ledger.ReadWriter's ReadWriteTx instead", sf.fset.Position(n.Pos()), name)
				}
			case *ast.InterfaceType:
				for _, m := range n.Methods.List {
					if ft, ok := m.Type.(*ast.FuncType); ok && mentionsPgxTx(ft) {
						t.Errorf("%s: an interface method takes a pgx.Tx: commit through ledger.ReadWriter's ReadWriteTx instead", sf.fset.Position(m.Pos()))
					}
				}
			}
			return true
		})
	}
	if checked == 0 {
		t.Fatal("no customs source file found")
	}
}

// operandName is the last name of x (s.ledger → ledger).
func operandName(x ast.Expr) string {
	switch x := x.(type) {
	case *ast.Ident:
		return x.Name
	case *ast.SelectorExpr:
		return x.Sel.Name
	case *ast.ParenExpr:
		return operandName(x.X)
	}
	return ""
}

func mentionsPgxTx(ft *ast.FuncType) bool {
	found := false
	ast.Inspect(ft, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == "pgx" && sel.Sel.Name == "Tx" {
				found = true
			}
		}
		return !found
	})
	return found
}
