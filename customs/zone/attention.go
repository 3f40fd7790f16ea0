package zone

import (
	"context"
	"time"

	"github.com/zoneledger/zoneledger/customs/access"
)

// DeclaredList is a list declared to customs and not yet cleared: its
// outbound goods are reserved (预核扣) and its inbound goods awaited.
type DeclaredList struct {
	List List
	// DeclaredOn is the zone's date the list was declared.
	DeclaredOn time.Time
}

// DeclaredLists returns the lists DECLARED or APPROVED (declared, not
// cleared, not returned) on the books p may read (customs: every book; an
// enterprise: its own; book, when not empty, restricts to one) that were
// declared before the day before, in number order.
func (s *Service) DeclaredLists(ctx context.Context, p access.Principal, book string, before time.Time) ([]DeclaredList, error) {
	var out []DeclaredList
	for _, st := range []ListStatus{ListDeclared, ListApproved} {
		f := ListFilter{Book: book, Status: string(st), Limit: MaxPage}
		for {
			page, err := listDocs[List](ctx, s, p, kindList, f)
			if err != nil {
				return nil, err
			}
			for _, l := range page {
				on := s.dateOf(l.DeclaredAt)
				if on.Before(before) {
					out = append(out, DeclaredList{List: l, DeclaredOn: on})
				}
			}
			if len(page) < MaxPage {
				break
			}
			f.After = page[len(page)-1].No
		}
	}
	return out, nil
}

// HeldPass is a pass whose vehicle is held at the gate for inspection.
type HeldPass struct {
	Pass Pass
	// HeldOn is the zone's date the gate held the vehicle.
	HeldOn time.Time
}

// HeldPasses returns the passes held at the gate (status HELD: customs has
// neither released nor rejected the vehicle) on the books p may read
// (book, when not empty, restricts to one), in number order.
func (s *Service) HeldPasses(ctx context.Context, p access.Principal, book string) ([]HeldPass, error) {
	var out []HeldPass
	f := ListFilter{Book: book, Status: string(PassHeld), Limit: MaxPage}
	for {
		page, err := listDocs[Pass](ctx, s, p, kindPass, f)
		if err != nil {
			return nil, err
		}
		for _, ps := range page {
			var at time.Time
			for _, e := range ps.Events {
				if e.Outcome == string(PassHeld) {
					at = e.At
				}
			}
			if at.IsZero() {
				at = ps.CreatedAt
			}
			out = append(out, HeldPass{Pass: ps, HeldOn: s.dateOf(at)})
		}
		if len(page) < MaxPage {
			break
		}
		f.After = page[len(page)-1].No
	}
	return out, nil
}
