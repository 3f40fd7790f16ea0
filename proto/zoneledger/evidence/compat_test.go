package evidence

import (
	"bytes"
	"encoding/hex"
	"os"
	"strings"
	"testing"
)

// TestVerifyReadsAnExportFromBeforeEcommerceLists: an export sealed by the
// server before the kind ecommerce-list existed (testdata: a book's
// period with a list, a pass and a journal) verifies against the digest
// sealed then, and a changed record of it is still named.
func TestVerifyReadsAnExportFromBeforeEcommerceLists(t *testing.T) {
	file, err := os.ReadFile("testdata/v1-before-ecommerce-lists.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	hexDigest, err := os.ReadFile("testdata/v1-before-ecommerce-lists.digest")
	if err != nil {
		t.Fatal(err)
	}
	kept, err := hex.DecodeString(strings.TrimSpace(string(hexDigest)))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(file, []byte(KindEcommerceList)) {
		t.Fatal("the old export holds an ecommerce-list record")
	}
	rep, err := Verify(bytes.NewReader(file), kept)
	if err != nil || !rep.Match || rep.Header.Encoding != Version || rep.Header.Documents != 2 {
		t.Fatalf("the old export: %+v %v", rep, err)
	}
	changed := bytes.Replace(file, []byte(`"Quantity":"12.5"`), []byte(`"Quantity":"12.6"`), 1)
	if bytes.Equal(changed, file) {
		t.Fatal("the old export holds no list quantity 12.5 to change")
	}
	rep, err = Verify(bytes.NewReader(changed), kept)
	if err != nil || rep.Match || len(rep.Problems) == 0 || rep.Problems[0].Line != 3 {
		t.Fatalf("the changed old export: %+v %v", rep.Problems, err)
	}
}
