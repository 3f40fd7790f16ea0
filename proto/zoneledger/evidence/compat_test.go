package evidence

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
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

// TestVerifyReadsAnExportFromBeforeEcommerceCustoms: an export sealed by
// the server before EcommerceList held a customs status (testdata: list
// QLEC-1 moved by receipt 800, QLEC-2 with no receipt) verifies against
// the digest sealed then; its list records read into EcommerceList with
// no Customs, and the record of the list with no receipt encodes, through
// today's EcommerceList, to the very bytes sealed then.
func TestVerifyReadsAnExportFromBeforeEcommerceCustoms(t *testing.T) {
	file, err := os.ReadFile("testdata/v1-before-ecommerce-customs.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	hexDigest, err := os.ReadFile("testdata/v1-before-ecommerce-customs.digest")
	if err != nil {
		t.Fatal(err)
	}
	kept, err := hex.DecodeString(strings.TrimSpace(string(hexDigest)))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Verify(bytes.NewReader(file), kept)
	if err != nil || !rep.Match || rep.Header.Encoding != Version {
		t.Fatalf("the old export: %+v %v", rep, err)
	}
	lists := 0
	for _, s := range strings.Split(strings.TrimSuffix(string(file), "\n"), "\n") {
		var l Line
		if err := json.Unmarshal([]byte(s), &l); err != nil {
			t.Fatal(err)
		}
		if l.Kind != KindEcommerceList {
			continue
		}
		lists++
		var doc Document
		var body EcommerceList
		if err := json.Unmarshal(l.Record, &doc); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(doc.Body, &body); err != nil {
			t.Fatal(err)
		}
		if body.Customs != nil {
			t.Errorf("the old record of %s reads a customs status: %+v", l.Key, body.Customs)
		}
		again, err := Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(again, doc.Body) {
			t.Errorf("the old record of %s, read and encoded again, differs:\n%s\nwant\n%s", l.Key, again, doc.Body)
		}
	}
	if lists != 2 {
		t.Fatalf("the old export holds %d e-commerce lists, want 2", lists)
	}
}
