package tests

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// allowedSkips are the tests of this package that may skip, with why. A
// test that cannot run its subject (a binary that does not build, a
// subcommand that is gone) fails instead: a skip there hides a broken
// product behind a green run.
var allowedSkips = map[string]string{
	// A load command, not a test: it asserts nothing and runs for minutes;
	// cmd/zoneledger/README.md quotes its figures.
	"TestLargeRequestsMeasure": "runs only with ZONELEDGER_LOAD=1",
}

// TestNoQuietSkips keeps this package's tests from skipping where they
// should fail: every call of Skip, Skipf or SkipNow sits in a test listed
// in allowedSkips.
func TestNoQuietSkips(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(bins.root, "tests", "*_test.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("listing the tests' sources under %s: %v (%d files)", bins.root, err, len(files))
	}
	fset := token.NewFileSet()
	var found []string
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok || !slices.Contains([]string{"Skip", "Skipf", "SkipNow"}, sel.Sel.Name) {
					return true
				}
				found = append(found, fn.Name.Name)
				if _, ok := allowedSkips[fn.Name.Name]; !ok {
					t.Errorf("%s: %s calls %s; a test that cannot run its subject must fail (t.Fatalf with the cause), "+
						"or, if the skip is legitimate, list it in allowedSkips with why", fset.Position(call.Pos()), fn.Name.Name, sel.Sel.Name)
				}
				return true
			})
		}
	}
	for name := range allowedSkips {
		if !slices.Contains(found, name) {
			t.Errorf("allowedSkips lists %s, which skips nowhere (any more): drop it from the list", name)
		}
	}
	t.Logf("skips: %s", strings.Join(found, ", "))
}
