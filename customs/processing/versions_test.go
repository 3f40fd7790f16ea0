package processing

import (
	"strings"
	"testing"

	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
)

func hx(ver, eff string) Version {
	return Version{Book: "H31050000001", FinishedSeq: 4, Version: ver, EffectiveDate: day(eff), Norms: []Norm{
		{MaterialSeq: 1, Net: d("0.95"), LossPercent: d("5")},
		{MaterialSeq: 2, Net: d("2.0"), LossPercent: d("20")},
	}}
}

// TestVersionHXUnitConsumption: a filed version shows each material's 单耗
// exactly (0.95 at 5 % → 1; 2.0 at 20 % → 2.5), bonded share 100 % by
// default; filing it again returns it.
func TestVersionHXUnitConsumption(t *testing.T) {
	w := newWorld(t, DefaultSettings())
	v, err := w.svc.PutVersion(w.ctx, w.e1, hx("1", "2026-11-01"))
	w.must(err)
	if v.Status != VersionDraft || len(v.Norms) != 2 || !v.Norms[0].UnitConsumption.Equal(d("1")) || !v.Norms[1].UnitConsumption.Equal(d("2.5")) ||
		!v.Norms[0].UnitConsumptionExact || !v.Norms[0].BondedPercent.Equal(d("100")) {
		t.Fatalf("version %+v", v)
	}
	again, err := w.svc.PutVersion(w.ctx, w.e1, hx("1", "2026-11-01"))
	w.must(err)
	if !again.CreatedAt.Equal(v.CreatedAt) {
		t.Errorf("a retry filed the version again: %v then %v", v.CreatedAt, again.CreatedAt)
	}
	got, err := w.svc.GetVersion(w.ctx, w.customs, w.book, 4, "1")
	w.must(err)
	if !got.Norms[1].UnitConsumption.Equal(d("2.5")) {
		t.Errorf("customs reads %+v", got)
	}
	v, err = w.svc.DeclareVersion(w.ctx, w.e1, w.book, 4, "1")
	w.must(err)
	if v.Status != VersionDeclared || v.DeclaredAt.IsZero() {
		t.Errorf("declared version %+v", v)
	}
}

// TestVersionRefusals: every bad version is refused with its reason and
// field, and nothing is filed.
func TestVersionRefusals(t *testing.T) {
	w := newWorld(t, DefaultSettings())
	bad := func(edit func(*Version)) Version { v := hx("1", "2026-11-01"); edit(&v); return v }
	for _, c := range []struct {
		name   string
		v      Version
		reason string
		field  string
	}{
		{"loss 100 %", bad(func(v *Version) { v.Norms[1].LossPercent = d("100") }), ReasonLossRateOutOfRange, "norms[1].loss_percent"},
		{"loss above 100 %", bad(func(v *Version) { v.Norms[0].LossPercent = d("120") }), ReasonLossRateOutOfRange, "norms[0].loss_percent"},
		{"zero net", bad(func(v *Version) { v.Norms[0].Net = d("0") }), ReasonInvalidNorm, "norms[0].net"},
		{"bad version number", bad(func(v *Version) { v.Version = "v1" }), ReasonInvalidVersion, "version"},
		{"material is the good", bad(func(v *Version) { v.Norms[0].MaterialSeq = 4 }), ReasonWrongLineType, "norms[0].material_seq"},
		{"material is a finished good", bad(func(v *Version) { v.FinishedSeq = 6; v.Norms[0].MaterialSeq = 4 }), ReasonWrongLineType, "norms[0].material_seq"},
		{"good is equipment", bad(func(v *Version) { v.FinishedSeq = 7 }), ReasonWrongLineType, "finished_seq"},
		{"unknown material", bad(func(v *Version) { v.Norms[1].MaterialSeq = 99 }), "LINE_NOT_ON_BOOK", "norms[1].material_seq"},
	} {
		_, err := w.svc.PutVersion(w.ctx, w.e1, c.v)
		if err == nil {
			t.Fatalf("%s: filed", c.name)
		}
		wantRefusal(t, err, c.reason, c.field)
	}
	if vs, err := w.svc.ListVersions(w.ctx, w.e1, w.book, 0, VersionPage{}); err != nil || len(vs) != 0 {
		t.Fatalf("refused versions were filed: %v %v", vs, err)
	}
	_, err := w.svc.PutVersion(w.ctx, w.customs, hx("1", "2026-11-01"))
	wantRefusal(t, err, "PERMISSION_DENIED", "")
	_, err = w.svc.PutVersion(w.ctx, w.e2, hx("1", "2026-11-01"))
	wantRefusal(t, err, "UNKNOWN_BOOK", "book_no")
}

// TestVersionsSupersedeInOrder: a later version supersedes the earlier
// from its effective date; the version in force follows the dates; a new
// version cannot take effect before the latest.
func TestVersionsSupersedeInOrder(t *testing.T) {
	w := newWorld(t, DefaultSettings())
	_, err := w.svc.PutVersion(w.ctx, w.e1, hx("1", "2026-11-01"))
	w.must(err)
	v2 := hx("2", "2026-11-15")
	v2.Norms[0].Net = d("0.9")
	_, err = w.svc.PutVersion(w.ctx, w.e1, v2)
	w.must(err)
	v1, err := w.svc.GetVersion(w.ctx, w.e1, w.book, 4, "1")
	w.must(err)
	if v1.SupersededBy != "2" || !v1.SupersededFrom.Equal(day("2026-11-15")) {
		t.Fatalf("version 1 after version 2: %+v", v1)
	}
	for dd, want := range map[string]string{"2026-11-01": "1", "2026-11-14": "1", "2026-11-15": "2", "2027-01-01": "2"} {
		v, err := w.svc.VersionInForce(w.ctx, w.e1, w.book, 4, day(dd))
		w.must(err)
		if v.Version != want {
			t.Errorf("on %s version %s is in force, want %s", dd, v.Version, want)
		}
	}
	_, err = w.svc.VersionInForce(w.ctx, w.e1, w.book, 4, day("2026-10-31"))
	wantRefusal(t, err, ReasonNoVersionInForce, "finished_seq")
	_, err = w.svc.PutVersion(w.ctx, w.e1, hx("3", "2026-11-10"))
	wantRefusal(t, err, ReasonVersionDate, "effective_date")
	_, err = w.svc.PutVersion(w.ctx, w.e1, hx("3", "2026-11-15"))
	wantRefusal(t, err, ReasonVersionDate, "effective_date")
	// An unused version may still change, keeping its place.
	v1c := hx("1", "2026-11-02")
	v1c.Norms[1].LossPercent = d("10")
	got, err := w.svc.PutVersion(w.ctx, w.e1, v1c)
	w.must(err)
	if got.SupersededBy != "2" || !got.Norms[1].UnitConsumption.Equal(d("2.222222222")) || got.Norms[1].UnitConsumptionExact {
		t.Fatalf("changed version 1: %+v", got)
	}
	_, err = w.svc.PutVersion(w.ctx, w.e1, hx("1", "2026-11-20"))
	wantRefusal(t, err, ReasonVersionDate, "effective_date")
}

// TestListNamesTheVersionUsed: an export list's finished-goods line names
// the version its goods were made under; declaring the list needs that
// version declared, and once declared the list locks it; a refused
// declaration changes nothing.
func TestListNamesTheVersionUsed(t *testing.T) {
	w := newWorld(t, DefaultSettings())
	w.receive(5, "10")
	_, err := w.svc.FileReport(w.ctx, w.e1, Report{InnerNo: "P-1", Book: w.book, Basis: BasisActual, Outputs: []Output{out(4, "10")},
		Materials: []MaterialUse{{BookSeq: 5, Quantity: d("1")}}})
	w.must(err)
	_, err = w.svc.PutVersion(w.ctx, w.e1, hx("1", "2026-01-01"))
	w.must(err)
	export := func(inner, version string) zone.List {
		l, err := w.zone.CreateList(w.ctx, w.e1, zone.List{InnerNo: inner, Book: w.book, IO: codes.Out, TradeMode: "5034", Country: "JPN",
			Lines: []zone.ListLine{{BookSeq: 4, Quantity: d("2"), Total: d("2000"), GrossWeight: d("20"), NetWeight: d("18"), ConsumptionVersion: version}}})
		w.must(err)
		return l
	}
	l := export("OUT-1", "1")
	_, err = w.zone.DeclareList(w.ctx, w.e1, l.No)
	wantRefusal(t, err, ReasonVersionNotDeclared, "lines[0].consumption_version")
	if got, err := w.zone.GetList(w.ctx, w.e1, l.No); err != nil || got.Status != zone.ListDraft {
		t.Fatalf("list after a refused declaration: %v %v", got.Status, err)
	}
	if v, err := w.svc.GetVersion(w.ctx, w.e1, w.book, 4, "1"); err != nil || v.Locked() {
		t.Fatalf("a refused declaration locked the version: %+v %v", v, err)
	}
	_, err = w.zone.DeclareList(w.ctx, w.e1, export("OUT-2", "7").No)
	wantRefusal(t, err, ReasonUnknownVersion, "lines[0].consumption_version")

	_, err = w.svc.DeclareVersion(w.ctx, w.e1, w.book, 4, "1")
	w.must(err)
	got, err := w.zone.DeclareList(w.ctx, w.e1, l.No)
	w.must(err)
	if got.Status != zone.ListDeclared || got.Lines[0].ConsumptionVersion != "1" {
		t.Fatalf("declared list %+v", got)
	}
	changed := hx("1", "2026-01-01")
	changed.Norms[0].LossPercent = d("6")
	_, err = w.svc.PutVersion(w.ctx, w.e1, changed)
	wantRefusal(t, err, ReasonVersionLocked, "version")
	if !strings.Contains(err.Error(), l.No) {
		t.Errorf("the refusal does not name the list %s: %v", l.No, err)
	}
	_, err = w.zone.CreateList(w.ctx, w.e1, zone.List{InnerNo: "OUT-3", Book: w.book, IO: codes.Out, TradeMode: "5034", Country: "JPN",
		Lines: []zone.ListLine{{BookSeq: 4, Quantity: d("1"), Total: d("1000"), GrossWeight: d("10"), NetWeight: d("9"), ConsumptionVersion: "v1"}}})
	wantRefusal(t, err, ledger.ReasonInvalidArgument, "lines[0].consumption_version")
}

// TestUsedDraftsToDeclareBeforeWriteOff: the versions production used while
// still drafts are listed, to be declared before write-off; declared or
// unused versions are not.
func TestUsedDraftsToDeclareBeforeWriteOff(t *testing.T) {
	w := newWorld(t, DefaultSettings())
	w.receive(1, "100")
	w.receive(2, "100")
	for _, seq := range []int{4, 6} {
		v := hx("1", "2026-01-01")
		v.FinishedSeq = seq
		_, err := w.svc.PutVersion(w.ctx, w.e1, v)
		w.must(err)
	}
	_, err := w.svc.FileReport(w.ctx, w.e1, Report{InnerNo: "P-1", Book: w.book, Outputs: []Output{out(4, "1")}})
	w.must(err)
	list := func() []Version {
		vs, err := w.svc.ListVersions(w.ctx, w.customs, w.book, 0, VersionPage{UsedNotDeclared: true})
		w.must(err)
		return vs
	}
	if vs := list(); len(vs) != 1 || vs[0].FinishedSeq != 4 {
		t.Fatalf("used drafts: %+v", vs)
	}
	_, err = w.svc.DeclareVersion(w.ctx, w.e1, w.book, 4, "1")
	w.must(err)
	if vs := list(); len(vs) != 0 {
		t.Fatalf("used drafts after declaring: %+v", vs)
	}
}
