package ledger_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/zoneledger/zoneledger/ledger"
)

// sealedPeriodDigest is the period digest as every sealed period so far was
// computed: one buffer of length-prefixed fields (the tag, the previous
// digest, the book, from or "", through, the journal count in decimal,
// each journal hash), then sha256 over it. Written out here on its own, so
// that the digest's bytes are pinned independently of the code under test.
func sealedPeriodDigest(previous []byte, book string, from, through time.Time, hashes [][]byte) []byte {
	var buf []byte
	field := func(b []byte) {
		buf = binary.BigEndian.AppendUint64(buf, uint64(len(b)))
		buf = append(buf, b...)
	}
	field([]byte("period/v1"))
	field(previous)
	field([]byte(book))
	if from.IsZero() {
		field(nil)
	} else {
		field([]byte(from.Format("2006-01-02")))
	}
	field([]byte(through.Format("2006-01-02")))
	field([]byte(strconv.Itoa(len(hashes))))
	for _, h := range hashes {
		field(h)
	}
	d := sha256.Sum256(buf)
	return d[:]
}

func TestIncrementalPeriodDigestIsTheSealedDigest(t *testing.T) {
	from, _ := ledger.ParseDate("2026-02-01", "from")
	through, _ := ledger.ParseDate("2026-02-28", "through")
	journalHash := func(i int) []byte {
		h := sha256.Sum256([]byte(fmt.Sprint("journal ", i)))
		return h[:]
	}
	for _, n := range []int{0, 1, 2, 9, 10, 99, 1000, 12345} {
		hashes := make([][]byte, n)
		for i := range hashes {
			hashes[i] = journalHash(i)
		}
		for _, c := range []struct {
			name     string
			previous []byte
			from     time.Time
		}{
			{"first period", []byte{}, time.Time{}},
			{"first period, nil previous", nil, time.Time{}},
			{"later period", journalHash(-1), from},
		} {
			want := sealedPeriodDigest(c.previous, "H4601A000001", c.from, through, hashes)
			d := ledger.NewPeriodDigest(c.previous, "H4601A000001", c.from, through, int64(n))
			buf := make([]byte, sha256.Size)
			for _, h := range hashes {
				copy(buf, h) // the caller's bytes are reused between hashes
				d.Add(buf)
			}
			if got := d.Sum(); !bytes.Equal(got, want) {
				t.Errorf("%s, %d journals: incremental digest %x, want %x", c.name, n, got, want)
			}
			if d.Added() != int64(n) || d.Count() != int64(n) {
				t.Errorf("%s, %d journals: added %d of count %d", c.name, n, d.Added(), d.Count())
			}
			if got := ledger.PeriodDigest(c.previous, "H4601A000001", c.from, through, hashes); !bytes.Equal(got, want) {
				t.Errorf("%s, %d journals: PeriodDigest %x, want %x", c.name, n, got, want)
			}
		}
	}
	// Hashes of other lengths (none is stored, but the digest prefixes
	// every length) and a count that disagrees with the hashes added.
	odd := [][]byte{{}, []byte("a"), bytes.Repeat([]byte("b"), 300)}
	d := ledger.NewPeriodDigest([]byte("prev"), "B", from, through, 3)
	for _, h := range odd {
		d.Add(h)
	}
	if got, want := d.Sum(), sealedPeriodDigest([]byte("prev"), "B", from, through, odd); !bytes.Equal(got, want) {
		t.Errorf("odd lengths: %x, want %x", got, want)
	}
	short := ledger.NewPeriodDigest([]byte("prev"), "B", from, through, 3)
	short.Add(odd[0])
	short.Add(odd[1])
	if bytes.Equal(short.Sum(), d.Sum()) || bytes.Equal(short.Sum(), sealedPeriodDigest([]byte("prev"), "B", from, through, odd[:2])) {
		t.Errorf("a digest of 2 hashes under a count of 3 matched a sealed digest")
	}
}

func TestPeriodDigestAddKeepsNothing(t *testing.T) {
	through, _ := ledger.ParseDate("2026-02-28", "through")
	d := ledger.NewPeriodDigest(nil, "B", time.Time{}, through, 1_000_000)
	h := sha256.Sum256([]byte("journal"))
	if allocs := testing.AllocsPerRun(1000, func() { d.Add(h[:]) }); allocs != 0 {
		t.Fatalf("Add allocates %v times a hash; a period's digest must not grow with its journals", allocs)
	}
}
