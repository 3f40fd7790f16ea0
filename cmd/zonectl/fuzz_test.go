package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zoneledger/zoneledger/cmd/zonectl/internal/input"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// FuzzReadEcommerceAndDisplayFiles: the e-commerce document reader (CSV
// and JSON) and the display-movement reader answer documents or an error
// for any file, never panic. Seeded with the example files.
func FuzzReadEcommerceAndDisplayFiles(f *testing.F) {
	paths, err := filepath.Glob("examples/*")
	if err != nil || len(paths) == 0 {
		f.Fatalf("no example files: %v", err)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, uint8(0))
	}
	f.Add([]byte("order_no\n\"x"), uint8(2))
	f.Add([]byte("[{\"order\":{}}]"), uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, sel uint8) {
		ff := []input.FileFormat{input.Auto, input.JSONFormat, input.CSVFormat}[sel%3]
		_, _ = readEcomDocs(data, "f", ff)
		_, _ = readEcomDocs(data, "f.csv", input.Auto)
		_, _ = readDisplayMoves(bytes.NewReader(data), "f", ff, customsv1.DisplayKind_DISPLAY_KIND_OUT, "YC310526000000001")
	})
}

// FuzzRPCCommandValues: any value given to a flag or argument of a command
// built by rpcCmd — every bind form: parts, a bool pair, several
// arguments, an optional one, a time, a map, a fixed value, a default — is
// refused as a usage error or sent; zonectl never panics. Nothing listens
// at the address, so what is sent fails (exit 1).
func FuzzRPCCommandValues(f *testing.F) {
	lines := [][]string{
		{"customs", "repair", "consume", "W1", "--key", "k", "--part", "@"},
		{"customs", "repair", "remove", "W1", "--key", "k", "--old", "@", "--scrap", "1:1"},
		{"customs", "repair", "finish", "W1", "--key", "k", "--repaired", "@"},
		{"customs", "writeoff", "decide", "--stocktake", "P1", "--line", "1", "--status", "bonded", "--approve=@"},
		{"customs", "list", "declare", "QD1", "@"},
		{"customs", "trips", "@"},
		{"customs", "pass", "event", "HF1", "--event-id", "e", "--vehicle", "v", "--at", "@"},
		{"books", "create", "B1", "--owner", "o", "--name", "n", "--account", "@", "--attr", "@"},
		{"customs", "enterprise", "suspend", "@"},
		{"customs", "ecommerce", "return", "request", "QL1", "--line", "@"},
		{"customs", "rnd", "use", "file", "--book", "H3", "--inner-no", "U", "--project", "P", "--material", "@"},
	}
	for i, v := range []string{"1:2", "", "1:2:abroad", "-1", "x:y:z:w:v", "2026-03-02T09:15:00+08:00", "k=v", "1=2", "∞", "1e3", "true"} {
		f.Add(uint8(i), v)
	}
	f.Fuzz(func(t *testing.T, pick uint8, value string) {
		line := lines[int(pick)%len(lines)]
		args := append([]string{"--addr", "127.0.0.1:1", "--token", "t", "--timeout", "1ms"}, line...)
		for i, a := range args {
			if a == "@" {
				args[i] = value
			} else if strings.HasSuffix(a, "=@") {
				args[i] = strings.TrimSuffix(a, "@") + value
			}
		}
		var out, errOut bytes.Buffer
		app := newApp(&out, &errOut)
		app.getenv = func(string) string { return "" }
		if code := app.execute(t.Context(), args); code != exitUsage && code != exitRefused {
			t.Fatalf("zonectl %q: exit %d\n%s", args, code, errOut.String())
		}
	})
}
