package main

import (
	"context"
	"errors"
	"testing"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

func TestUnwrapPrintsTheAnswersMessage(t *testing.T) {
	get := unwrap[*customsv1.List](func(_ context.Context, _ *clients, no string) (*customsv1.GetListResponse, error) {
		if no == "" {
			return &customsv1.GetListResponse{}, nil
		}
		return &customsv1.GetListResponse{List: &customsv1.List{ListNo: no}}, nil
	})
	if l, err := get(context.Background(), nil, "QD1"); err != nil || l.GetListNo() != "QD1" {
		t.Errorf("got %v, %v; want list QD1", l, err)
	}
	if l, err := get(context.Background(), nil, ""); err != nil || l != nil {
		t.Errorf("no list in the answer: got %v, %v; want nil", l, err)
	}
	refused := errors.New("refused")
	fail := unwrap[*customsv1.List](func(context.Context, *clients, string) (*customsv1.GetListResponse, error) { return nil, refused })
	if _, err := fail(context.Background(), nil, "QD1"); err != refused {
		t.Errorf("got %v, want the call's error", err)
	}
	self := unwrap[*customsv1.PayDisplayTaxResponse](func(context.Context, *clients, int) (*customsv1.PayDisplayTaxResponse, error) {
		return &customsv1.PayDisplayTaxResponse{Available: "1.00"}, nil
	})
	if r, err := self(context.Background(), nil, 0); err != nil || r.GetAvailable() != "1.00" {
		t.Errorf("an answer that is the message: got %v, %v", r, err)
	}
}

func TestUnwrapOfAnAnswerWithoutTheMessagePanicsAtStartUp(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic for a GetListResponse read as a Pass")
		}
	}()
	unwrap[*customsv1.Pass](func(context.Context, *clients, string) (*customsv1.GetListResponse, error) { return nil, nil })
}
