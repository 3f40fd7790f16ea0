package ceb

import (
	"os"
	"testing"
)

// BenchmarkDecode reads each fixture (two documents) and checks its rules,
// as the server does for every message it receives.
func BenchmarkDecode(b *testing.B) {
	for _, f := range []string{"ceb311.xml", "ceb411.xml", "ceb511.xml"} {
		data, err := os.ReadFile("testdata/" + f)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(f, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := Decode(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
