package evidence

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/zoneledger/zoneledger/customs/repair"
)

// TestSealRecordsRectifications: customs putting the book's enterprise
// under rectification (整改) is in the book's next seal, in force; its
// lifting in the seal after, lifted; a seal with nothing changed holds
// neither. Every export verifies (sealZone).
func TestSealRecordsRectifications(t *testing.T) {
	w := newWorld(t)
	rep, err := repair.New(w.pool, w.store, w.zone, repair.Options{})
	w.must(err)
	base := w.today.AddDate(0, 0, -30)
	w.sealZone(base.AddDate(0, 0, 1))
	w.must(rep.SetRectification(w.ctx, w.customs, w.e1.Enterprise, true, "premises not separated"))
	got := w.sealZone(base.AddDate(0, 0, 2))
	var key string
	for k := range got {
		key = k
	}
	if len(got) != 1 || !strings.HasPrefix(key, repair.KindRectification+":"+w.e1.Enterprise+"/") || !strings.Contains(got[key], `"status":"`+repair.RectificationInForce+`"`) ||
		!strings.Contains(got[key], `"Note":"premises not separated"`) {
		t.Fatalf("the seal after the rectification was set holds %v", got)
	}
	if got := w.sealZone(base.AddDate(0, 0, 3)); len(got) != 0 {
		t.Fatalf("a seal with nothing changed holds %v", slices.Sorted(maps.Keys(got)))
	}
	w.must(rep.SetRectification(w.ctx, w.customs, w.e1.Enterprise, false, ""))
	got = w.sealZone(base.AddDate(0, 0, 4))
	if len(got) != 1 || !strings.Contains(got[key], `"status":"`+repair.RectificationLifted+`"`) || !strings.Contains(got[key], `"LiftedBy":"`+w.customs.ID+`"`) {
		t.Fatalf("the seal after the rectification was lifted holds %v, want %s LIFTED", got, key)
	}
}
