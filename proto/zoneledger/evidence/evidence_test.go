package evidence

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"strings"
	"testing"
)

func TestCanonicalSortsKeysAndKeepsDecimalsAsText(t *testing.T) {
	got, err := Canonical([]byte(`{ "b": "12.50000", "a": {"z": 1, "y": [true, null, "2026-03-01T00:00:00Z"]}, "c": "<&>" }`))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"a":{"y":[true,null,"2026-03-01"],"z":1},"b":"12.50000","c":"<&>"}`
	if string(got) != want {
		t.Fatalf("canonical %s, want %s", got, want)
	}
	for _, bad := range []string{`{"q": 12.5}`, `{"q": 1e3}`, `{"a":1,"a":2}`, `{"a":1} {}`} {
		if _, err := Canonical([]byte(bad)); err == nil {
			t.Errorf("Canonical(%s) accepted", bad)
		}
	}
}

// export builds a small period: header, two journals, two documents.
func export(t *testing.T) ([]byte, []byte) {
	t.Helper()
	c := NewChain()
	var buf bytes.Buffer
	add := func(kind, key string, rec any) {
		l, err := c.Add(kind, key, rec)
		if err != nil {
			t.Fatal(err)
		}
		if err := Write(&buf, l); err != nil {
			t.Fatal(err)
		}
	}
	add(KindPeriod, "B/2026-01-31", Header{Encoding: Version, Book: "B", Through: "2026-01-31", LedgerDigest: "ab", Journals: 2, Documents: 2})
	for _, id := range []string{"1", "2"} {
		add(KindJournal, id, Journal{ID: int64(len(id)), Book: "B", EffectiveDate: "2026-01-05", Postings: []Posting{{Item: "1", Quantity: "10.5", Value: "100.00"}}})
	}
	add("list", "QD1", Document{Book: "B", Status: "CLEARED", Body: json.RawMessage(`{"No":"QD1","Qty":"3.25"}`)})
	add("pass", "HF1", Document{Book: "B", Status: "EXITED", Body: json.RawMessage(`{"No":"HF1"}`)})
	return buf.Bytes(), c.Digest()
}

func lines(b []byte) []string { return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") }

func join(ls []string) []byte { return []byte(strings.Join(ls, "\n") + "\n") }

func TestVerifyAcceptsTheExportItsDigest(t *testing.T) {
	file, digest := export(t)
	rep, err := Verify(bytes.NewReader(file), digest)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Match || rep.Records != 5 || rep.Header.Book != "B" {
		t.Fatalf("report %+v", rep)
	}
	// Whitespace in the file is not content.
	ls := lines(file)
	ls[1] = strings.Replace(ls[1], `"kind":`, `"kind" :  `, 1)
	if rep, _ := Verify(bytes.NewReader(join(ls)), digest); !rep.Match {
		t.Fatalf("reformatted line refused: %v", rep.Problems)
	}
}

func TestVerifyNamesTheRecordThatBreaksTheChain(t *testing.T) {
	file, digest := export(t)
	ls := lines(file)
	cases := []struct {
		name  string
		edit  func([]string) []string
		line  int
		which string
	}{
		{"changed amount", func(ls []string) []string {
			ls[2] = strings.Replace(ls[2], `"100.00"`, `"100.01"`, 1)
			return ls
		}, 3, "journal 2"},
		{"changed state", func(ls []string) []string {
			ls[3] = strings.Replace(ls[3], `CLEARED`, `DECLARED`, 1)
			return ls
		}, 4, "list QD1"},
		{"deleted record", func(ls []string) []string { return append(ls[:1:1], ls[2:]...) }, 2, "journal 2"},
		{"reordered records", func(ls []string) []string { ls[3], ls[4] = ls[4], ls[3]; return ls }, 4, "pass HF1"},
		{"cut at the end", func(ls []string) []string { return ls[:4] }, 0, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rep, err := Verify(bytes.NewReader(join(c.edit(append([]string(nil), ls...)))), digest)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Match || len(rep.Problems) == 0 {
				t.Fatalf("verify passed an edited export: %+v", rep)
			}
			p := rep.Problems[0]
			if p.Line != c.line || p.Record != c.which {
				t.Fatalf("first problem %q, want line %d (%s); all: %v", p, c.line, c.which, rep.Problems)
			}
		})
	}
}

func TestVerifyRefusesAnotherDigest(t *testing.T) {
	file, digest := export(t)
	other := append([]byte(nil), digest...)
	other[0] ^= 1
	rep, _ := Verify(bytes.NewReader(file), other)
	if rep.Match || len(rep.Problems) != 1 || rep.Problems[0].Line != 0 || !strings.Contains(rep.Problems[0].Why, "not in the digest kept") {
		t.Fatalf("report %+v", rep)
	}
}

// A forger who rewrites every chain value after a change still cannot
// reach the kept digest.
func TestVerifyCatchesRewrittenChain(t *testing.T) {
	c := NewChain()
	var buf bytes.Buffer
	file, digest := export(t)
	for i, s := range lines(file) {
		var l Line
		if err := json.Unmarshal([]byte(s), &l); err != nil {
			t.Fatal(err)
		}
		rec := l.Record
		if i == 2 {
			rec = json.RawMessage(strings.Replace(string(rec), `"100.00"`, `"99.00"`, 1))
		}
		nl, err := c.Add(l.Kind, l.Key, rec)
		if err != nil {
			t.Fatal(err)
		}
		if err := Write(&buf, nl); err != nil {
			t.Fatal(err)
		}
	}
	rep, _ := Verify(&buf, digest)
	if rep.Match || len(rep.Problems) != 1 || !strings.Contains(rep.Problems[0].Why, "rewritten") {
		t.Fatalf("report %+v", rep)
	}
}

// The object around a record is written directly in canonical form: the
// same bytes Canonical makes of it.
func TestWrappedRecordIsCanonical(t *testing.T) {
	rec := []byte(`{"b":"1.50","a":["x\u2028y","<é>"]}`)
	canon, err := Canonical(rec)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"QD1", `we"ird\key`, "清单", ""} {
		whole, err := Marshal(struct {
			Seq    int64           `json:"seq"`
			Kind   string          `json:"kind"`
			Key    string          `json:"key"`
			Record json.RawMessage `json:"record"`
		}{42, "list", key, rec})
		if err != nil {
			t.Fatal(err)
		}
		want := sha256.Sum256(whole)
		if got := wrappedHash(42, "list", key, canon); !bytes.Equal(got, want[:]) {
			t.Errorf("key %q: wrapped hash differs from the canonical object's", key)
		}
	}
}
