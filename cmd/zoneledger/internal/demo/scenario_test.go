package demo

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The month's volume is scaled by whole percentages and rounded half up,
// exactly: 35 % of 90 is 31.5, which rounds to 32 (a float64 product,
// 31.499999999999996, rounded to 31).
func TestScaledRoundsHalfUpExactly(t *testing.T) {
	g := &gen{rng: rand.New(rand.NewPCG(1, 2))}
	for _, c := range []struct{ pct, n, want int }{{35, 90, 32}, {35, 10, 4}, {60, 5, 3}, {100, 7, 7}, {35, 0, 0}, {60, 12000, 7200}} {
		if got := g.scaled(c.pct, c.n, c.n); got != c.want {
			t.Errorf("scaled(%d%%, %d) = %d, want %d", c.pct, c.n, got, c.want)
		}
	}
}

// A step scheduled at a percentage of the month falls on the day that
// percentage of the month reaches, rounded up, never before day 1 or after
// the last day.
func TestMonthDay(t *testing.T) {
	for _, c := range []struct{ pct, days, want int }{{3, 31, 1}, {70, 10, 7}, {62, 31, 20}, {97, 31, 31}, {100, 12, 12}, {0, 5, 1}, {50, 1, 1}} {
		if got := monthDay(c.pct, c.days); got != c.want {
			t.Errorf("monthDay(%d%%, %d days) = %d, want %d", c.pct, c.days, got, c.want)
		}
	}
}

// The demo does its arithmetic in integers and exact decimals: its source
// (tests aside) names no float type and calls no math function on floats.
func TestNoFloatingPoint(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.Ident:
				if x.Name == "float64" || x.Name == "float32" {
					t.Errorf("%s: %s: use integers or decimal.Decimal", fset.Position(x.Pos()), x.Name)
				}
			case *ast.SelectorExpr:
				if id, ok := x.X.(*ast.Ident); ok && id.Name == "math" || x.Sel.Name == "Float64" || x.Sel.Name == "Seconds" || x.Sel.Name == "Hours" || x.Sel.Name == "Minutes" {
					t.Errorf("%s: %s: use integers or decimal.Decimal", fset.Position(x.Pos()), types.ExprString(x))
				}
			}
			return true
		})
	}
}

// The demo knows the API, not the server: it imports no server package,
// only the generated API (proto/), so it can copy no server rule (a
// positive list, a limit, a tax rule, a time zone): it asks the server.
func TestNoServerRuleCopies(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path := strings.Trim(imp.Path.Value, `"`)
			if strings.HasPrefix(path, "github.com/zoneledger/zoneledger/") && !strings.HasPrefix(path, "github.com/zoneledger/zoneledger/proto/") {
				t.Errorf("%s imports %s, a server package; ask the server through the API instead", fset.Position(imp.Pos()), path)
			}
		}
	}
}
