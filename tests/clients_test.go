package tests

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestClientsImportNoServerPackage: the clients — zonectl, the demo and
// these tests — speak the API and import no server package (ledger,
// ledger/..., customs/..., cmd/zoneledger/internal/server): the reasons,
// reading an error and the text rule come from the API module (proto/).
// zonectl is checked with everything it links; the demo and tests/ by what
// they import themselves, with the exceptions listed in allowed.
func TestClientsImportNoServerPackage(t *testing.T) {
	const mod = "github.com/zoneledger/zoneledger/"
	server := func(p string) bool {
		p, ok := strings.CutPrefix(p, mod)
		return ok && (p == "ledger" || strings.HasPrefix(p, "ledger/") || strings.HasPrefix(p, "customs/") ||
			strings.HasPrefix(p, "cmd/zoneledger/internal/server"))
	}
	allowed := map[string][]string{
		// The tests start PostgreSQL for the server binary and for fault
		// injection: the shared plumbing, which imports nothing of ours.
		mod + "tests": {mod + "ledger/pgshared/pgtest", mod + "ledger/pgshared/embedpg"},
		// The demo's test runs the month against an in-process server.
		mod + "cmd/zoneledger/internal/demo [test]": {mod + "cmd/zoneledger/internal/server", mod + "ledger/pgshared/pgtest"},
	}
	list := func(args ...string) []string {
		t.Helper()
		cmd := exec.Command("go", append([]string{"list"}, args...)...)
		cmd.Dir = bins.root
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go list %v: %v", args, err)
		}
		return strings.Fields(string(out))
	}
	check := func(client string, imports []string) {
		for _, p := range imports {
			if server(p) && !slices.Contains(allowed[client], p) {
				t.Errorf("%s imports the server package %s: ask the server, or use the API module (proto/)", client, p)
			}
		}
	}
	// zonectl, its internal packages and their tests, with every package
	// they link.
	check(mod+"cmd/zonectl", list("-test", "-deps", "./cmd/zonectl/..."))
	check(mod+"cmd/zoneledger/internal/demo", list("-f", "{{join .Imports \"\\n\"}}", "./cmd/zoneledger/internal/demo"))
	check(mod+"cmd/zoneledger/internal/demo [test]", list("-f", "{{join .TestImports \"\\n\"}}\n{{join .XTestImports \"\\n\"}}", "./cmd/zoneledger/internal/demo"))
	check(mod+"tests", list("-f", "{{join .Imports \"\\n\"}}\n{{join .TestImports \"\\n\"}}\n{{join .XTestImports \"\\n\"}}", "./tests"))
}
