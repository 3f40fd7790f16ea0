package tests

import (
	"bufio"
	"bytes"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// module is the repository's module path.
const module = "github.com/zoneledger/zoneledger"

// importGraph is the repository's packages and what each imports: its
// own code's imports, and with tests also those of its test files.
type importGraph struct {
	code  map[string][]string // package -> imports of its non-test files
	tests map[string][]string // package -> imports of its test files
}

// loadImports asks the go command for every package of the module.
func loadImports(t *testing.T) importGraph {
	t.Helper()
	cmd := exec.Command("go", "list", "-f",
		`{{.ImportPath}}|{{join .Imports " "}}|{{join .TestImports " "}} {{join .XTestImports " "}}`, module+"/...")
	cmd.Dir = ".."
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	g := importGraph{code: map[string][]string{}, tests: map[string][]string{}}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		parts := strings.SplitN(sc.Text(), "|", 3)
		if len(parts) != 3 {
			t.Fatalf("go list printed %q", sc.Text())
		}
		g.code[parts[0]] = strings.Fields(parts[1])
		g.tests[parts[0]] = strings.Fields(parts[2])
	}
	if len(g.code) < 10 {
		t.Fatalf("go list found %d packages: the graph is not the repository's", len(g.code))
	}
	return g
}

// closure returns what pkg's code imports, directly or through other
// packages (the module's and the standard library's, as far as the
// module's own packages lead), sorted.
func (g importGraph) closure(pkg string) []string {
	seen := map[string]bool{}
	var walk func(string)
	walk = func(p string) {
		for _, imp := range g.code[p] {
			if !seen[imp] {
				seen[imp] = true
				walk(imp)
			}
		}
	}
	walk(pkg)
	var out []string
	for p := range seen {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

func ours(p string) bool { return p == module || strings.HasPrefix(p, module+"/") }

func rel(p string) string { return strings.TrimPrefix(strings.TrimPrefix(p, module), "/") }

// under reports whether p is the package dir or one below it.
func under(p, dir string) bool {
	r := rel(p)
	return r == dir || strings.HasPrefix(r, dir+"/")
}

// TestArchitecture enforces the dependency rules of the house (README.md,
// "How it is built"): an import that breaks one fails here, naming the
// package, the import and the rule. The clients' rule (zonectl, the demo
// and these tests import no server package) is TestClientsImportNoServerPackage;
// the one seam for documents and journals is TestCustomsCommitsThroughTheLedgerSeam.
func TestArchitecture(t *testing.T) {
	g := loadImports(t)
	for pkg := range g.code {
		deps := g.closure(pkg)
		switch {
		case rel(pkg) == "ledger":
			for _, d := range deps {
				if ours(d) {
					t.Errorf("ledger imports %s: the ledger's vocabulary and invariants import nothing of ours", rel(d))
				}
			}
		case under(pkg, "ledger/pgshared"):
			for _, d := range deps {
				if ours(d) && !under(d, "ledger/pgshared") {
					t.Errorf("%s imports %s: the shared PostgreSQL plumbing imports nothing of ours", rel(pkg), rel(d))
				}
			}
		case under(pkg, "customs") && !strings.HasSuffix(pkg, "api"):
			for _, d := range deps {
				if strings.HasPrefix(d, "google.golang.org/grpc") || strings.HasPrefix(d, "google.golang.org/protobuf") ||
					strings.HasPrefix(d, "google.golang.org/genproto") || (under(d, "proto") && !pureAPI(d)) {
					t.Errorf("%s imports %s: customs rule packages know no gRPC or proto (their adapters, customs/*api, do)", rel(pkg), d)
				}
			}
		}
		if pureAPI(pkg) {
			for _, d := range deps {
				if strings.Contains(strings.Split(d, "/")[0], ".") {
					t.Errorf("%s imports %s: a pure API package imports only the standard library, so customs may share it with zonectl", rel(pkg), d)
				}
			}
		}
		if under(pkg, "customs/zone") {
			for _, d := range deps {
				if under(d, "customs/singlewindow") {
					t.Errorf("%s imports %s: customs/zone owns the books and documents, not their message formats (customs/sasmessage maps them)", rel(pkg), rel(d))
				}
			}
		}
		if under(pkg, "customs") {
			for _, d := range deps {
				if under(d, "ledger/pgstore") {
					t.Errorf("%s imports %s: customs uses the ledger through its interfaces, never its store", rel(pkg), rel(d))
				}
			}
		}
		// Nothing imports cmd/ (not even tests), except cmd/'s own
		// packages within one command.
		for _, imps := range [][]string{g.code[pkg], g.tests[pkg]} {
			for _, d := range imps {
				if under(d, "cmd") && !sameCommand(pkg, d) {
					t.Errorf("%s imports %s: nothing imports cmd/, which only wires", rel(pkg), rel(d))
				}
			}
		}
	}
}

// pureAPI reports whether p is a hand-written package of the API module
// that imports only the standard library, which customs rule packages may
// use: proto/zoneledger/evidence (the evidence encoding the server seals
// with and zonectl verifies with) and proto/zoneledger/textrule (the
// characters text may not hold, which the edge and the single-window
// message readers refuse alike).
func pureAPI(p string) bool {
	return rel(p) == "proto/zoneledger/evidence" || rel(p) == "proto/zoneledger/textrule"
}

// sameCommand reports whether a and b belong to one command under cmd/.
func sameCommand(a, b string) bool {
	ca, cb := strings.Split(rel(a), "/"), strings.Split(rel(b), "/")
	return len(ca) >= 2 && len(cb) >= 2 && ca[0] == "cmd" && cb[0] == "cmd" && ca[1] == cb[1]
}
