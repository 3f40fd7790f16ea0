package main

import (
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zoneledger/zoneledger/proto/zoneledger/evidence"
)

// TestVerifyIsOffline: zonectl verify dials nothing and needs no token;
// exit 0 when the file reproduces the digest, 1 naming the broken line
// when not, 2 for a digest that is not one or a file it cannot read.
func TestVerifyIsOffline(t *testing.T) {
	c := evidence.NewChain()
	var lines []string
	for i, rec := range []struct {
		kind, key string
		body      any
	}{
		{evidence.KindPeriod, "H1/2026-03-31", evidence.Header{Encoding: evidence.Version, Book: "H1", Through: "2026-03-31", Journals: 1, Documents: 1}},
		{evidence.KindJournal, "7", evidence.Journal{ID: 7, Book: "H1", Postings: []evidence.Posting{{Quantity: "2.50000", Value: "10.00"}}}},
		{"list", "QD1", evidence.Document{Book: "H1", Status: "CLEARED", Body: []byte(`{"No":"QD1"}`)}},
	} {
		l, err := c.Add(rec.kind, rec.key, rec.body)
		if err != nil {
			t.Fatal(i, err)
		}
		b, err := evidence.Encode(l)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, string(b))
	}
	dir := t.TempDir()
	good, bad := filepath.Join(dir, "good.jsonl"), filepath.Join(dir, "bad.jsonl")
	if err := os.WriteFile(good, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	lines[1] = strings.Replace(lines[1], `"2.50000"`, `"2.5"`, 1)
	if err := os.WriteFile(bad, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	digest := hex.EncodeToString(c.Digest())
	h := newHarness(t)
	h.nodial = true
	h.env = map[string]string{} // no token
	if code := h.run("verify", "--export", good, "--digest", digest); code != exitOK || !strings.HasPrefix(h.stdout.String(), "ok: ") {
		t.Fatalf("good export: exit %d, %s%s", code, h.stdout.String(), h.stderr.String())
	}
	if code := h.run("verify", "--export", bad, "--digest", digest); code != exitRefused || !strings.Contains(h.stdout.String(), "line 2 (journal 7): does not match") {
		t.Fatalf("changed quantity: exit %d, %s%s", code, h.stdout.String(), h.stderr.String())
	}
	if code := h.run("verify", "--export", good, "--digest", "abc"); code != exitUsage {
		t.Fatalf("short digest: exit %d", code)
	}
	if code := h.run("verify", "--export", filepath.Join(dir, "missing"), "--digest", digest); code != exitUsage {
		t.Fatalf("missing file: exit %d", code)
	}
}

// TestVerifyReadsOldAndNewExports: zonectl verify checks an export the
// server sealed before e-commerce lists were evidence (the API module's
// testdata) and one holding an ecommerce-list record.
func TestVerifyReadsOldAndNewExports(t *testing.T) {
	dir := filepath.Join("..", "..", "proto", "zoneledger", "evidence", "testdata")
	digest, err := os.ReadFile(filepath.Join(dir, "v1-before-ecommerce-lists.digest"))
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t)
	h.nodial = true
	h.env = map[string]string{}
	old := filepath.Join(dir, "v1-before-ecommerce-lists.jsonl")
	if code := h.run("verify", "--export", old, "--digest", strings.TrimSpace(string(digest))); code != exitOK || !strings.Contains(h.stdout.String(), "2 document(s)") {
		t.Fatalf("the old export: exit %d, %s%s", code, h.stdout.String(), h.stderr.String())
	}
	c := evidence.NewChain()
	var lines []string
	for _, rec := range []struct {
		kind, key string
		body      any
	}{
		{evidence.KindPeriod, "T1/2026-11-30", evidence.Header{Encoding: evidence.Version, Book: "T1", Through: "2026-11-30", Documents: 1}},
		{evidence.KindEcommerceList, "QLEC-1", evidence.Document{Book: "T1", Status: "RELEASED", Body: []byte(`{"no":"QLEC-1","tax":{"total":"219.31"}}`)}},
	} {
		l, err := c.Add(rec.kind, rec.key, rec.body)
		if err != nil {
			t.Fatal(err)
		}
		b, err := evidence.Encode(l)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, string(b))
	}
	file := filepath.Join(t.TempDir(), "new.jsonl")
	if err := os.WriteFile(file, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code := h.run("verify", "--export", file, "--digest", hex.EncodeToString(c.Digest())); code != exitOK {
		t.Fatalf("an export with an e-commerce list: exit %d, %s%s", code, h.stdout.String(), h.stderr.String())
	}
}
