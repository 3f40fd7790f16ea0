package tests

// Authorization of OutZoneService: E1's mould form with moulds out, a
// testing form with nothing out (to close), and the per-method cases
// TestAuthorizationEveryMethod runs for it.

import (
	"context"
	"testing"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

const ozSvc = "/zoneledger.customs.v1.OutZoneService/"

// outZoneAuth is E1's goods out of the zone: a type-F form with an OUT
// movement of 3 notebooks, and an empty type-D form.
type outZoneAuth struct {
	oz      customsv1.OutZoneServiceClient
	form    string // type F, with goods out
	out     string // the OUT movement
	toClose string // type D, nothing out
}

func init() {
	for _, m := range []string{"MoveOutZone", "CloseForm"} {
		customsFilesNot[ozSvc+m] = true
		customsByNumber[ozSvc+m] = true
	}
	for _, m := range []string{"GetOutZoneMove", "ListOverdue"} {
		customsByNumber[ozSvc+m] = true
	}
}

// setUpOutZone files E1's forms and sends moulds out.
func (w *customsAuthWorld) setUpOutZone(t *testing.T, s *Server) {
	t.Helper()
	z, e1 := w.z, w.e1
	r := &outZoneAuth{oz: customsv1.NewOutZoneServiceClient(s.Conn())}
	w.outzone = r
	ctx := ctxAs(t, e1.tok)
	form := func(inner, ft string) string {
		fr, err := z.decl.CreateForm(ctx, &customsv1.CreateFormRequest{InnerNo: inner, BookNo: w.book, FormType: ft, ValidFrom: day(-1), ValidUntil: day(60)})
		if err != nil {
			t.Fatalf("CreateForm (type %s): %v", ft, err)
		}
		return fr.GetForm().GetFormNo()
	}
	r.form, r.toClose = form("AZ-FORM-F", "F"), form("AZ-FORM-D", "D")
	m, err := r.oz.MoveOutZone(ctx, &customsv1.MoveOutZoneRequest{InnerNo: "AZ-WF-1", ApplyNo: r.form, Kind: customsv1.OutZoneKind_OUT_ZONE_KIND_OUT,
		DueBack: day(30), Counterparty: "Mould user Ltd", Lines: []*customsv1.OutZoneLine{{BookSeq: lineNotebook, Quantity: "3"}}})
	if err != nil {
		t.Fatalf("MoveOutZone: %v", err)
	}
	r.out = m.GetMove().GetMoveNo()
}

// outZoneMethodCases has one case per RPC of OutZoneService, each a valid
// request on E1's forms.
func outZoneMethodCases() map[string]methodCase {
	oz := func(w *authWorld) customsv1.OutZoneServiceClient { return w.z.outzone.oz }
	r := func(w *authWorld) *outZoneAuth { return w.z.outzone }
	return map[string]methodCase{
		ozSvc + "MoveOutZone": func(ctx context.Context, w *authWorld) error {
			_, err := oz(w).MoveOutZone(ctx, &customsv1.MoveOutZoneRequest{InnerNo: "AZ-WF-B", ApplyNo: r(w).form, Kind: customsv1.OutZoneKind_OUT_ZONE_KIND_BACK,
				OutNo: r(w).out, Lines: []*customsv1.OutZoneLine{{BookSeq: lineNotebook, Quantity: "1"}}})
			return err
		},
		ozSvc + "GetOutZoneMove": func(ctx context.Context, w *authWorld) error {
			_, err := oz(w).GetOutZoneMove(ctx, &customsv1.GetOutZoneMoveRequest{MoveNo: r(w).out})
			return err
		},
		ozSvc + "CloseForm": func(ctx context.Context, w *authWorld) error {
			_, err := oz(w).CloseForm(ctx, &customsv1.CloseFormRequest{ApplyNo: r(w).toClose})
			return err
		},
		ozSvc + "ListOverdue": func(ctx context.Context, w *authWorld) error {
			_, err := oz(w).ListOverdue(ctx, &customsv1.ListOverdueRequest{BookNo: w.z.book})
			return err
		},
	}
}

// outZoneSnapshot adds E1's out-of-zone state to snap: the OUT movement
// and both forms (with their status).
func outZoneSnapshot(t *testing.T, w *authWorld, snap snapshot) {
	t.Helper()
	r, c := w.z.outzone, w.a.C
	m, err := r.oz.GetOutZoneMove(ctxAs(t, c), &customsv1.GetOutZoneMoveRequest{MoveNo: r.out})
	if err != nil {
		t.Fatalf("snapshot out-zone move: %v", err)
	}
	snap["out-zone move"] = m.String()
	for _, no := range []string{r.form, r.toClose} {
		f, err := w.z.z.decl.GetForm(ctxAs(t, c), &customsv1.GetFormRequest{FormNo: no})
		if err != nil {
			t.Fatalf("snapshot form %s: %v", no, err)
		}
		snap["form "+no] = f.String()
	}
}
