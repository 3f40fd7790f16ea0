package zone

import (
	"context"
	"encoding/json"

	"github.com/jackc/pgx/v5"
)

// RecordTaxableEvent assesses ev with the tax engine as a domestic sale of
// its own (one event, one consignment) and stores it, once per source,
// inside tx: the transaction of the caller's change through the ledger's
// seam. It is for taxable events other packages' documents make (the sale
// of a destruction's valuable residue, customs/processing); ev names its
// document in ListNo. It returns the event stored, with its ID; a source
// already stored returns its event unchanged. The engine's refusal is
// kept on the event (AssessError), as for a list's.
func (s *Service) RecordTaxableEvent(ctx context.Context, tx pgx.Tx, ev TaxableEvent, source string) (TaxableEvent, error) {
	evs := []TaxableEvent{ev}
	s.assess(evs)
	if err := s.storeTaxable(ctx, tx, evs[0], source); err != nil {
		return ev, err
	}
	var body string
	if err := tx.QueryRow(ctx, `SELECT body FROM zone_taxable_events WHERE source = $1`, source).Scan(&body); err != nil {
		return ev, err
	}
	var out TaxableEvent
	return out, json.Unmarshal([]byte(body), &out)
}
