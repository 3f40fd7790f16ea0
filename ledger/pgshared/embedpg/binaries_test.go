package embedpg

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestDebianBinDirsOrder(t *testing.T) {
	root := t.TempDir()
	for _, v := range []string{"9.6", "15", "10", "notaversion", "16"} {
		if err := os.MkdirAll(filepath.Join(root, v, "bin"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for _, d := range debianBinDirs(root) {
		rel, _ := filepath.Rel(root, d)
		got = append(got, rel)
	}
	want := []string{"16/bin", "15/bin", "10/bin", "9.6/bin"}
	if !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}
