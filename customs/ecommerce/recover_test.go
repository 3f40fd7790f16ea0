package ecommerce_test

import (
	"errors"
	"testing"

	"github.com/zoneledger/zoneledger/customs/ecommerce"
)

// TestRecoverRefusesListsLeftReleasing: a list left RELEASING by a version
// that released in three steps cannot be finished by this one, whose
// releases commit in one transaction: the start stops and says what to do
// instead of leaving the list's stock undeducted.
func TestRecoverRefusesListsLeftReleasing(t *testing.T) {
	w := newWorld(t, map[int]string{1: "10"})
	must(t, w.svc.Recover(w.ctx))
	_, err := w.store.Pool().Exec(w.ctx, `INSERT INTO ecom_lists (no, order_no, enterprise, guarantor, buyer, status, body)
		VALUES ('QLOLD-1', 'OLD-1', 'E', 'G', 'B', 'RELEASING', '{"No":"QLOLD-1","OrderNo":"OLD-1","Status":"RELEASING"}')`)
	must(t, err)
	err = w.svc.Recover(w.ctx)
	if !errors.Is(err, ecommerce.ErrLegacyReleasing) {
		t.Fatalf("Recover with a list left RELEASING: %v, want ErrLegacyReleasing", err)
	}
}
