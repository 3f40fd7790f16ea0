package repair

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
)

// More stable reasons of the repair centre's refusals.
const (
	// ReasonNotInCatalogue: the goods' HS code is in no entry of the
	// zone's repair catalogue, or only in a group-own-products entry and
	// the goods are not the group's own.
	ReasonNotInCatalogue = "REPAIR_NOT_IN_CATALOGUE"
	// ReasonUnderRectification: customs put the enterprise under
	// rectification (整改); it may not start new repair business.
	ReasonUnderRectification = "ENTERPRISE_UNDER_RECTIFICATION"
)

// checkCatalogue checks an order's goods against the zone's repair
// catalogue (when one is configured) and carries the entry's
// "may not circulate domestically after repair" flag onto the order. The
// group's own domestically sold products are repaired without catalogue
// restriction (公告2024年第7号).
func (s *Service) checkCatalogue(o *Order, l zone.BookLine) error {
	if len(s.set.Catalogue) == 0 {
		return nil
	}
	e, ok := s.set.entry(l.HSCode)
	if ok {
		o.NoDomestic = e.NoDomesticAfterRepair
	}
	if o.Origin == OriginGroup {
		return nil
	}
	if !ok {
		return ledger.Precondition(ReasonNotInCatalogue, "book_seq", "line %d (HS %s) is in no entry of the zone's repair catalogue (商务部 生态环境部 海关总署公告2020年第16号 and later lists); only catalogue goods and the group's own domestically sold products are repaired in the zone", l.Seq, l.HSCode)
	}
	if e.GroupOnly {
		return ledger.Precondition(ReasonNotInCatalogue, "book_seq", "line %d (HS %s) is in the catalogue entry %q for the group's own products only; these goods are not the group's own", l.Seq, l.HSCode, e.Category)
	}
	return nil
}

// mayOpen refuses new repair business of an enterprise rated 失信 or
// under rectification (公告2018年第203号; 公告2024年第7号).
func (s *Service) mayOpen(ctx context.Context, p access.Principal, enterprise string) error {
	e, err := s.zone.GetEnterprise(ctx, p, enterprise)
	if err != nil {
		return err
	}
	if e.Credit == codes.CreditDiscredited {
		return ledger.Precondition(zone.ReasonDiscredited, "book_no", "enterprise %s is rated 失信 (DISCREDITED); a discredited enterprise may not open repair orders (GACC 公告2018年第203号)", enterprise)
	}
	var note string
	err = s.pool.QueryRow(ctx, `SELECT note FROM rep_rectifications WHERE enterprise = $1`, enterprise).Scan(&note)
	if err == nil {
		return ledger.Precondition(ReasonUnderRectification, "book_no", "enterprise %s is under rectification (%s); it may not start new repair business until customs lifts it (公告2024年第7号)", enterprise, note)
	}
	if !isNoRows(err) {
		return dbError(err)
	}
	return nil
}

// Rectification is customs' record that an enterprise is under
// rectification (整改) and may not open repair orders.
type Rectification struct {
	Enterprise string
	Note       string
	Since      time.Time
	By         string
	// LiftedAt is when customs lifted it (zero while in force); LiftedBy
	// who did.
	LiftedAt time.Time `json:",omitzero"`
	LiftedBy string    `json:",omitempty"`
}

// KindRectification is the kind of a rectification among a book's
// evidence records (BookDocumentsChanged): one per rectification of the
// book's enterprise, numbered ENTERPRISE/SINCE (RFC 3339, UTC), with the
// status RectificationInForce or RectificationLifted.
const KindRectification = "rectification"

// The states of a rectification record.
const (
	RectificationInForce = "IN_FORCE"
	RectificationLifted  = "LIFTED"
)

// SetRectification puts an enterprise under rectification (on) or lifts
// it (off). Customs only; setting the state it is in changes nothing.
// Each set and each lift is recorded in every book the enterprise holds
// (rep_rectification_records), so the next evidence seal of each of them
// holds it.
func (s *Service) SetRectification(ctx context.Context, p access.Principal, enterprise string, on bool, note string) error {
	if p.Role != access.RoleCustoms || p.Disabled {
		return ledger.Denied("principal %q (%s) may not put enterprises under rectification; customs does", p.ID, p.Role)
	}
	note = strings.TrimSpace(note)
	if on && (note == "" || len(note) > 500) {
		return ledger.BadArgument("note", "say why the enterprise is under rectification, at most 500 characters")
	}
	if _, err := s.zone.GetEnterprise(ctx, p, enterprise); err != nil {
		return withField(err, "enterprise")
	}
	return s.readWrite(ctx, func(ctx context.Context, tx pgx.Tx, _ ledger.Journals) error {
		r := Rectification{Enterprise: enterprise, Note: note, Since: s.clock(), By: p.ID}
		if on {
			tag, err := tx.Exec(ctx, `INSERT INTO rep_rectifications (enterprise, note, since, by_principal) VALUES ($1, $2, $3, $4) ON CONFLICT (enterprise) DO NOTHING`,
				r.Enterprise, r.Note, r.Since, r.By)
			if err != nil || tag.RowsAffected() == 0 {
				return err
			}
		} else {
			err := tx.QueryRow(ctx, `DELETE FROM rep_rectifications WHERE enterprise = $1 RETURNING note, since, by_principal`, enterprise).Scan(&r.Note, &r.Since, &r.By)
			if isNoRows(err) {
				return nil
			}
			if err != nil {
				return err
			}
			r.LiftedAt, r.LiftedBy = s.clock(), p.ID
		}
		books, err := zone.EnterpriseBooks(ctx, tx, enterprise)
		if err != nil {
			return err
		}
		for _, b := range books {
			seq, err := zone.TakeChange(ctx, tx, b)
			if err != nil {
				return err
			}
			var lifted *time.Time
			if !r.LiftedAt.IsZero() {
				lifted = &r.LiftedAt
			}
			// A book registered while the rectification was in force has
			// no record of it yet: its lift is its first.
			if _, err := tx.Exec(ctx, `INSERT INTO rep_rectification_records (book, enterprise, since, note, by_principal, lifted_at, lifted_by, change_seq)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
				ON CONFLICT (book, enterprise, since) DO UPDATE SET lifted_at = excluded.lifted_at, lifted_by = excluded.lifted_by, change_seq = excluded.change_seq`,
				b, r.Enterprise, r.Since, r.Note, r.By, lifted, r.LiftedBy, seq); err != nil {
				return err
			}
		}
		return nil
	})
}

// ListOverdue returns the open repair orders past their due day as of
// day asOf (today when zero), by number: of one book (its owner and
// customs read it), or with book empty, every book customs reads (all for
// customs, its own for an enterprise) — customs' list of every repair
// order overstaying in the zone.
func (s *Service) ListOverdue(ctx context.Context, p access.Principal, book string, asOf time.Time) ([]Order, error) {
	where, arg := `book = $2`, book
	if book != "" {
		if _, err := s.readBook(ctx, p, book); err != nil {
			return nil, err
		}
	} else {
		switch {
		case p.Disabled || p.Role == access.RoleAdmin || p.Role == access.RolePlatform:
			return nil, ledger.Denied("principal %q (%s) may not list repair orders; customs and enterprises do", p.ID, p.Role)
		case p.Role == access.RoleCustoms:
			where, arg = `$2 = ''`, ""
		default:
			where, arg = `enterprise = $2`, p.Enterprise
		}
	}
	if asOf.IsZero() {
		asOf = s.today()
	}
	asOf = ledger.Day(asOf)
	rows, err := s.pool.Query(ctx, `SELECT body FROM rep_orders WHERE status = $1 AND `+where+` ORDER BY no`, string(OrderOpen), arg)
	if err != nil {
		return nil, dbError(err)
	}
	orders, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Order, error) {
		var body string
		var o Order
		if err := row.Scan(&body); err != nil {
			return o, err
		}
		return o, jsonUnmarshal(body, &o)
	})
	if err != nil {
		return nil, dbError(err)
	}
	var out []Order
	for _, o := range orders {
		if asOf.After(o.Due) {
			out = append(out, o)
		}
	}
	return out, nil
}
