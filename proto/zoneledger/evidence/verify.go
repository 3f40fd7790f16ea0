package evidence

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
)

// MaxLineBytes is the longest line Verify reads: one record with its lines.
const MaxLineBytes = 64 << 20

// Encode returns a line as the export file holds it, without the newline.
func Encode(l Line) ([]byte, error) { return json.Marshal(l) }

// Write writes one line of an export file: the line's JSON and a newline.
func Write(w io.Writer, l Line) error {
	b, err := Encode(l)
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// Problem is one place where an export breaks its chain.
type Problem struct {
	// Line is the file's line number, from 1; 0 when the problem is the
	// file as a whole (it ends early, or ends in another digest).
	Line int
	// Record names the record on that line ("journal 12", "list QD..."),
	// when the line could be read.
	Record string
	// Why says what is wrong and what it means.
	Why string
}

func (p Problem) String() string {
	switch {
	case p.Line == 0:
		return p.Why
	case p.Record == "":
		return fmt.Sprintf("line %d: %s", p.Line, p.Why)
	}
	return fmt.Sprintf("line %d (%s): %s", p.Line, p.Record, p.Why)
}

// Report is what Verify found.
type Report struct {
	// Header is the export's first record.
	Header Header
	// Records counts the records read, the header included.
	Records int64
	// Digest is the digest recomputed from the records alone.
	Digest []byte
	// Match is true when the recomputed digest equals the one kept and no
	// record breaks the chain.
	Match bool
	// Problems lists each record that breaks the chain, in file order.
	Problems []Problem
}

// Verify recomputes a period's evidence digest from an export file alone
// and compares it with the digest kept. Every record is rehashed and
// checked against the chain value written beside it, so a changed record
// names its own line, a removed or moved one the line where the sequence
// breaks; the header's counts catch records cut from the end. It returns an
// error only when r cannot be read.
func Verify(r io.Reader, kept []byte) (Report, error) {
	var rep Report
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), MaxLineBytes)
	running := NewChain().value
	stated := running // the chain value written on the previous line
	prevSeq := int64(-1)
	n, journals, documents := 0, int64(0), int64(0)
	problem := func(line int, rec, format string, args ...any) {
		rep.Problems = append(rep.Problems, Problem{Line: line, Record: rec, Why: fmt.Sprintf(format, args...)})
	}
	for sc.Scan() {
		n++
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			problem(n, "", "is empty; an export has one record per line")
			continue
		}
		var l Line
		dec := json.NewDecoder(bytes.NewReader(text))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&l); err != nil {
			problem(n, "", "is not a record (%v)", err)
			continue
		}
		rep.Records++
		name := l.Name()
		h, err := recordHash(l.Seq, l.Kind, l.Key, l.Record)
		if err != nil {
			problem(n, name, "its record is not valid evidence JSON (%v)", err)
			continue
		}
		running = next(running, h)
		written, err := hex.DecodeString(l.Chain)
		if err != nil {
			problem(n, name, "its chain value %q is not hex", l.Chain)
		}
		switch {
		case l.Seq != prevSeq+1 && prevSeq+1 == 0:
			problem(n, name, "is record %d, but the file must start with the period header, record 0", l.Seq)
		case l.Seq != prevSeq+1:
			problem(n, name, "is record %d but follows record %d: records were removed, added or moved here", l.Seq, prevSeq)
		case err == nil && !bytes.Equal(next(stated, h), written):
			problem(n, name, "does not match the chain value written beside it: this record was changed")
		}
		prevSeq, stated = l.Seq, written
		switch {
		case l.Seq == 0 && l.Kind == KindPeriod:
			if err := json.Unmarshal(l.Record, &rep.Header); err != nil {
				problem(n, name, "the period header cannot be read (%v)", err)
			} else if rep.Header.Encoding != Version {
				problem(n, name, "is encoded as %q; this verifier reads %q", rep.Header.Encoding, Version)
			}
		case l.Kind == KindPeriod:
			problem(n, name, "is a second period header; export one period per file")
		case l.Kind == KindJournal:
			journals++
		default:
			documents++
		}
	}
	if err := sc.Err(); err != nil {
		return rep, fmt.Errorf("reading the export at line %d: %w", n+1, err)
	}
	rep.Digest = running
	if rep.Records == 0 {
		problem(0, "", "the export holds no record")
	} else if journals != rep.Header.Journals || documents != rep.Header.Documents {
		problem(0, "", "the header announces %d journals and %d documents, the file holds %d and %d: records were removed from or added to the export",
			rep.Header.Journals, rep.Header.Documents, journals, documents)
	}
	if !bytes.Equal(running, kept) {
		if len(rep.Problems) == 0 {
			problem(0, "", "every record matches the chain value beside it, but the chain ends in %x, not in the digest kept (%x): the chain values were rewritten, or this is another period's export",
				running, kept)
		} else {
			problem(0, "", "the records chain to %x, not to the digest kept (%x)", running, kept)
		}
	}
	rep.Match = len(rep.Problems) == 0
	return rep, nil
}
