package main

import (
	"bytes"
	"os"
	"path/filepath"
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
