package ledger

import (
	"crypto/sha256"
	"encoding/binary"
	"hash"
	"sort"
	"strconv"
	"time"

	"github.com/shopspring/decimal"
)

// hasher writes length-prefixed fields so that no two different field
// sequences hash alike. It gathers them in a buffer and digests it once:
// ledger writers hash every journal in their serial section, where writing
// each field to the digest on its own showed.
type hasher struct{ buf []byte }

func newHasher(tag string) *hasher {
	h := &hasher{buf: make([]byte, 0, 512)}
	h.str(tag)
	return h
}

func (h *hasher) str(s string) {
	h.buf = binary.BigEndian.AppendUint64(h.buf, uint64(len(s)))
	h.buf = append(h.buf, s...)
}

func (h *hasher) int(i int64) {
	var digits [20]byte
	h.bytes(strconv.AppendInt(digits[:0], i, 10))
}
func (h *hasher) dec(d decimal.Decimal) { h.str(d.String()) }
func (h *hasher) date(t time.Time) {
	var day [16]byte
	h.bytes(t.AppendFormat(day[:0], dateLayout))
}
func (h *hasher) bytes(b []byte) {
	h.buf = binary.BigEndian.AppendUint64(h.buf, uint64(len(b)))
	h.buf = append(h.buf, b...)
}
func (h *hasher) account(a AccountRef) { h.str(a.Book); h.str(a.Name) }
func (h *hasher) item(i ItemRef)       { h.str(i.Book); h.str(i.Code) }
func (h *hasher) sum() []byte {
	d := sha256.Sum256(h.buf)
	return d[:]
}
func (h *hasher) doc(d Document) { h.str(d.Type); h.str(d.Number); h.str(d.TradeMode) }
func (h *hasher) strmap(m map[string]string) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	h.int(int64(len(keys)))
	for _, k := range keys {
		h.str(k)
		h.str(m[k])
	}
}

// posting writes a posting as requested (without its legs).
func (h *hasher) posting(p Posting) {
	h.item(p.Item)
	h.account(p.From)
	h.account(p.To)
	h.dec(p.Quantity)
	h.str(p.Unit)
	h.dec(p.Value)
	h.str(p.Lot)
	h.strmap(p.LotAttributes)
}

// RequestHash is the digest of a journal request's body (everything but the
// idempotency key), used to tell a replay from a reused key.
func RequestHash(r JournalRequest) []byte {
	h := newHasher("post/v1")
	h.str(r.Book)
	h.date(r.EffectiveDate)
	h.doc(r.Document)
	h.str(r.Principal)
	h.strmap(r.Metadata)
	h.int(int64(len(r.Postings)))
	for _, p := range r.Postings {
		h.posting(p)
	}
	return h.sum()
}

// ReverseRequestHash is the digest of a reversal request's body.
func ReverseRequestHash(r ReverseRequest) []byte {
	h := newHasher("reverse/v1")
	h.str(r.Book)
	h.int(r.JournalID)
	h.date(r.EffectiveDate)
	h.str(r.Principal)
	h.str(r.Reason)
	return h.sum()
}

// ComputeHash is the digest of a recorded journal's content: its ID, book,
// key, date, document, principal, metadata, reversal link, and every posting
// with its legs. Sealed periods chain these digests.
func (j Journal) ComputeHash() []byte {
	h := newHasher("journal/v1")
	h.int(j.ID)
	h.str(j.Book)
	h.str(j.IdempotencyKey)
	h.date(j.EffectiveDate)
	h.doc(j.Document)
	h.str(j.Principal)
	h.strmap(j.Metadata)
	h.int(j.ReversalOf)
	h.int(int64(len(j.Postings)))
	for _, p := range j.Postings {
		h.posting(p)
		h.int(int64(len(p.Legs)))
		for _, l := range p.Legs {
			h.str(l.Lot)
			h.dec(l.Quantity)
			h.dec(l.Value)
		}
	}
	return h.sum()
}

// PeriodDigest chains a period's journal hashes, in order, onto the previous
// period's digest: sha256 over the previous digest, the period's bounds, the
// number of journals and each journal hash. It is the one-call form of
// NewPeriodDigest, for hashes already in memory.
func PeriodDigest(previous []byte, book string, from, through time.Time, journalHashes [][]byte) []byte {
	d := NewPeriodDigest(previous, book, from, through, int64(len(journalHashes)))
	for _, jh := range journalHashes {
		d.Add(jh)
	}
	return d.Sum()
}

// PeriodDigester computes a period digest one journal hash at a time, in
// memory that does not grow with the period: the same bytes as
// PeriodDigest over the same hashes. Make one with NewPeriodDigest.
type PeriodDigester struct {
	h     hash.Hash
	count int64
	added int64
	n     [8]byte
}

// NewPeriodDigest starts the digest of a period of count journals (the
// count comes before the hashes in the digest, so the caller counts them
// first); add each journal hash in (effective date, ID) order with Add, then
// read the digest with Sum.
func NewPeriodDigest(previous []byte, book string, from, through time.Time, count int64) *PeriodDigester {
	head := newHasher("period/v1")
	head.bytes(previous)
	head.str(book)
	if from.IsZero() {
		head.str("")
	} else {
		head.date(from)
	}
	head.date(through)
	head.int(count)
	d := &PeriodDigester{h: sha256.New(), count: count}
	d.h.Write(head.buf)
	return d
}

// Add writes the next journal hash into the digest. It keeps nothing of
// journalHash, so the caller may reuse its bytes.
func (d *PeriodDigester) Add(journalHash []byte) {
	binary.BigEndian.PutUint64(d.n[:], uint64(len(journalHash)))
	d.h.Write(d.n[:])
	d.h.Write(journalHash)
	d.added++
}

// Added is how many hashes Add has written so far.
func (d *PeriodDigester) Added() int64 { return d.added }

// Count is the journal count the digest was started with.
func (d *PeriodDigester) Count() int64 { return d.count }

// Sum returns the digest of what was added so far, under the count given
// to NewPeriodDigest. When Added differs from Count the digest is that of
// no period ever sealed (a sealed period's count is its number of hashes):
// a verifier compares it with the sealed digest, and reports the count
// mismatch itself. Sum does not change the state; Add may continue.
func (d *PeriodDigester) Sum() []byte { return d.h.Sum(nil) }
