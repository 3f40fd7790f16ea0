package evidence

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
)

// Version names the encoding and the chain rule; it is the first thing
// hashed, so a later version can never produce the same digest.
const Version = "zoneledger-evidence/v1"

// Kinds of records. The header comes first, then the journals, then the
// documents in the order of DocumentKinds.
const (
	KindPeriod  = "period"
	KindJournal = "journal"
)

// Line is one line of an export file: the record and the chain value after
// it. The record's hash is the SHA-256 of the canonical encoding of the
// object {"kind","key","record","seq"} (the line without "chain").
type Line struct {
	// Seq is the record's place in the chain: 0 for the header, then 1, 2, ...
	Seq int64 `json:"seq"`
	// Kind is KindPeriod, KindJournal or a document kind.
	Kind string `json:"kind"`
	// Key names the record within its kind: the journal ID, the document
	// number.
	Key string `json:"key"`
	// Record is the record's canonical JSON.
	Record json.RawMessage `json:"record"`
	// Chain is the chain value after this record, lower-case hex.
	Chain string `json:"chain"`
}

// Name says which record a line holds, for messages: "journal 12",
// "list QD2026...".
func (l Line) Name() string { return l.Kind + " " + l.Key }

// Header is the first record of a period's evidence.
type Header struct {
	// Encoding is Version.
	Encoding string `json:"encoding"`
	Book     string `json:"book"`
	// From is the period's first day (empty for a book's first period);
	// Through its last, YYYY-MM-DD.
	From    string `json:"from"`
	Through string `json:"through"`
	// PreviousDigest is the evidence digest of the book's previous period,
	// hex, empty for the first: each period's chain starts from it.
	PreviousDigest string `json:"previous_digest"`
	// LedgerDigest is the ledger's own period digest (journals only), hex,
	// as ListPeriods shows it.
	LedgerDigest string `json:"ledger_digest"`
	// Journals and Documents count the records that follow.
	Journals  int64 `json:"journals"`
	Documents int64 `json:"documents"`
}

// Chain computes chain values record by record.
type Chain struct {
	value []byte
	seq   int64
}

// NewChain starts a chain: its value before the header is SHA-256 of
// Version.
func NewChain() *Chain {
	v := sha256.Sum256([]byte(Version))
	return &Chain{value: v[:]}
}

// recordHash is the SHA-256 of the canonical {"kind","key","record","seq"}.
// record is canonicalized first; the object around it is written directly
// in its canonical form (keys in byte order: key, kind, record, seq).
func recordHash(seq int64, kind, key string, record json.RawMessage) ([]byte, error) {
	if len(record) == 0 {
		record = json.RawMessage("null")
	}
	canon, err := Canonical(record)
	if err != nil {
		return nil, err
	}
	return wrappedHash(seq, kind, key, canon), nil
}

// wrappedHash hashes the canonical object around a canonical record.
func wrappedHash(seq int64, kind, key string, canon []byte) []byte {
	var b bytes.Buffer
	b.Grow(len(canon) + len(kind) + len(key) + 48)
	b.WriteString(`{"key":`)
	writeString(&b, key)
	b.WriteString(`,"kind":`)
	writeString(&b, kind)
	b.WriteString(`,"record":`)
	b.Write(canon)
	b.WriteString(`,"seq":`)
	b.WriteString(strconv.FormatInt(seq, 10))
	b.WriteByte('}')
	h := sha256.Sum256(b.Bytes())
	return h[:]
}

// next is SHA-256(previous chain value || record hash).
func next(prev, record []byte) []byte {
	h := sha256.New()
	h.Write(prev)
	h.Write(record)
	return h.Sum(nil)
}

// Add encodes record (any value encoding/json accepts) canonically, chains
// it, and returns its line.
func (c *Chain) Add(kind, key string, record any) (Line, error) {
	raw, err := Marshal(record)
	if err != nil {
		return Line{}, fmt.Errorf("encoding %s %s: %w", kind, key, err)
	}
	h := wrappedHash(c.seq, kind, key, raw)
	c.value = next(c.value, h)
	l := Line{Seq: c.seq, Kind: kind, Key: key, Record: raw, Chain: hex.EncodeToString(c.value)}
	c.seq++
	return l, nil
}

// Digest is the chain value after the last record added: the period's
// evidence digest.
func (c *Chain) Digest() []byte { return append([]byte(nil), c.value...) }
