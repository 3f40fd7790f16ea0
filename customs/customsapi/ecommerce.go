package customsapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/ecommerce"
	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/grpcedge"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// EcommerceServer implements customsv1.EcommerceServiceServer over an
// ecommerce.Service (cross-border e-commerce bonded import, 1210).
type EcommerceServer struct {
	customsv1.UnimplementedEcommerceServiceServer
	svc *ecommerce.Service
}

// NewEcommerceServer returns an EcommerceService over svc.
func NewEcommerceServer(svc *ecommerce.Service) *EcommerceServer { return &EcommerceServer{svc: svc} }

// RegisterChannel implements customsv1.EcommerceServiceServer.
func (s *EcommerceServer) RegisterChannel(ctx context.Context, r *customsv1.RegisterChannelRequest) (*customsv1.RegisterChannelResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.RegisterChannelResponse, error) {
		c, err := s.svc.RegisterChannel(ctx, p, channelIn(r))
		if err != nil {
			return nil, err
		}
		return &customsv1.RegisterChannelResponse{Channel: channelOut(c)}, nil
	})
}

// GetChannel implements customsv1.EcommerceServiceServer.
func (s *EcommerceServer) GetChannel(ctx context.Context, r *customsv1.GetChannelRequest) (*customsv1.GetChannelResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.GetChannelResponse, error) {
		c, err := s.svc.GetChannel(ctx, p, r.GetEnterprise())
		if err != nil {
			return nil, err
		}
		return &customsv1.GetChannelResponse{Channel: channelOut(c)}, nil
	})
}

// SubmitOrder implements customsv1.EcommerceServiceServer.
func (s *EcommerceServer) SubmitOrder(ctx context.Context, r *customsv1.SubmitOrderRequest) (*customsv1.SubmitOrderResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.SubmitOrderResponse, error) {
		o, err := orderIn(r)
		if err != nil {
			return nil, err
		}
		if o, err = s.svc.SubmitOrder(ctx, p, o); err != nil {
			return nil, err
		}
		return &customsv1.SubmitOrderResponse{Order: orderOut(o)}, nil
	})
}

// SubmitPayment implements customsv1.EcommerceServiceServer.
func (s *EcommerceServer) SubmitPayment(ctx context.Context, r *customsv1.SubmitPaymentRequest) (*customsv1.SubmitPaymentResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.SubmitPaymentResponse, error) {
		ent, pay, err := paymentIn(r)
		if err != nil {
			return nil, err
		}
		o, err := s.svc.SubmitPayment(ctx, p, ent, pay)
		if err != nil {
			return nil, err
		}
		return &customsv1.SubmitPaymentResponse{Order: orderOut(o)}, nil
	})
}

// SubmitWaybill implements customsv1.EcommerceServiceServer.
func (s *EcommerceServer) SubmitWaybill(ctx context.Context, r *customsv1.SubmitWaybillRequest) (*customsv1.SubmitWaybillResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.SubmitWaybillResponse, error) {
		ent, wb := waybillIn(r)
		o, err := s.svc.SubmitWaybill(ctx, p, ent, wb)
		if err != nil {
			return nil, err
		}
		return &customsv1.SubmitWaybillResponse{Order: orderOut(o)}, nil
	})
}

// documentIn parses documents[i] of a batch; errors name the field from
// the batch's root ("documents[3].order.lines[0].quantity").
func (s *EcommerceServer) documentIn(p access.Principal, i int, d *customsv1.EcommerceDocument) (ecommerce.Document, error) {
	root := fmt.Sprintf("documents[%d]", i)
	var (
		kind string
		doc  ecommerce.Document
		err  error
	)
	switch x := d.GetDocument().(type) {
	case *customsv1.EcommerceDocument_Order:
		var o ecommerce.Order
		kind, doc.Enterprise = "order", x.Order.GetEnterprise()
		o, err = orderIn(x.Order)
		doc.Order = &o
	case *customsv1.EcommerceDocument_Payment:
		var pay ecommerce.Payment
		kind = "payment"
		doc.Enterprise, pay, err = paymentIn(x.Payment)
		doc.Payment = &pay
	case *customsv1.EcommerceDocument_Waybill:
		var wb ecommerce.Waybill
		kind = "waybill"
		doc.Enterprise, wb = waybillIn(x.Waybill)
		doc.Waybill = &wb
	default:
		return doc, ledger.BadArgument(root, "give an order, a payment or a waybill")
	}
	if err != nil {
		return doc, underDocument(err, root+"."+kind)
	}
	// The batch is refused as a whole when the caller may not submit for
	// one of its enterprises (the domain checks each document again).
	if !p.CanWrite(doc.Enterprise) {
		return doc, ledger.Errorf(ledger.KindPermissionDenied, ledger.ReasonPermissionDenied, root+"."+kind+".enterprise",
			"principal %q (%s) may not submit documents for %q: a platform submits only for the enterprises it is linked to", p.ID, p.Role, doc.Enterprise)
	}
	return doc, nil
}

// underDocument prefixes the field of a *ledger.Error with prefix.
func underDocument(err error, prefix string) error {
	var le *ledger.Error
	if !errors.As(err, &le) {
		return err
	}
	c := *le
	if c.Field == "" {
		c.Field = prefix
	} else {
		c.Field = prefix + "." + c.Field
	}
	return &c
}

// SubmitDocuments implements customsv1.EcommerceServiceServer.
func (s *EcommerceServer) SubmitDocuments(ctx context.Context, r *customsv1.SubmitDocumentsRequest) (*customsv1.SubmitDocumentsResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.SubmitDocumentsResponse, error) {
		docs := make([]ecommerce.Document, len(r.GetDocuments()))
		for i, d := range r.GetDocuments() {
			doc, err := s.documentIn(p, i, d)
			if err != nil {
				return nil, err
			}
			docs[i] = doc
		}
		out := &customsv1.SubmitDocumentsResponse{Results: make([]*customsv1.DocumentResult, len(docs))}
		for i, res := range s.svc.SubmitDocuments(ctx, p, docs) {
			if res.Err != nil {
				out.Results[i] = &customsv1.DocumentResult{Error: documentError(res.Err)}
				continue
			}
			out.Results[i] = &customsv1.DocumentResult{Order: orderOut(res.Order)}
		}
		return out, nil
	})
}

// documentError is what a refused document of a batch would have answered
// alone (grpcedge.Item): the code of the one error table, the stable
// reason, the field and the message.
func documentError(err error) *customsv1.DocumentError {
	e := grpcedge.Item(err)
	return &customsv1.DocumentError{Code: e.Code, Reason: e.Reason, Field: e.Field, Message: e.Message}
}

// GetOrder implements customsv1.EcommerceServiceServer.
func (s *EcommerceServer) GetOrder(ctx context.Context, r *customsv1.GetOrderRequest) (*customsv1.GetOrderResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.GetOrderResponse, error) {
		o, err := s.svc.GetOrder(ctx, p, r.GetOrderNo())
		if err != nil {
			return nil, err
		}
		return &customsv1.GetOrderResponse{Order: orderOut(o)}, nil
	})
}

// CancelOrder implements customsv1.EcommerceServiceServer.
func (s *EcommerceServer) CancelOrder(ctx context.Context, r *customsv1.CancelOrderRequest) (*customsv1.CancelOrderResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.CancelOrderResponse, error) {
		o, err := s.svc.CancelOrder(ctx, p, r.GetOrderNo())
		if err != nil {
			return nil, err
		}
		return &customsv1.CancelOrderResponse{Order: orderOut(o)}, nil
	})
}

// GetInventoryList implements customsv1.EcommerceServiceServer.
func (s *EcommerceServer) GetInventoryList(ctx context.Context, r *customsv1.GetInventoryListRequest) (*customsv1.GetInventoryListResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.GetInventoryListResponse, error) {
		l, err := s.svc.GetList(ctx, p, r.GetListNo())
		if err != nil {
			return nil, err
		}
		return &customsv1.GetInventoryListResponse{List: inventoryListOut(l)}, nil
	})
}

// RequestReturn implements customsv1.EcommerceServiceServer.
func (s *EcommerceServer) RequestReturn(ctx context.Context, r *customsv1.RequestReturnRequest) (*customsv1.RequestReturnResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.RequestReturnResponse, error) {
		lines, err := returnLinesIn(r.GetLines())
		if err != nil {
			return nil, err
		}
		l, err := s.svc.RequestReturn(ctx, p, r.GetListNo(), lines)
		if err != nil {
			return nil, err
		}
		return &customsv1.RequestReturnResponse{List: inventoryListOut(l)}, nil
	})
}

// ReceiveReturn implements customsv1.EcommerceServiceServer.
func (s *EcommerceServer) ReceiveReturn(ctx context.Context, r *customsv1.ReceiveReturnRequest) (*customsv1.ReceiveReturnResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.ReceiveReturnResponse, error) {
		l, err := s.svc.ReceiveReturn(ctx, p, r.GetListNo())
		if err != nil {
			return nil, err
		}
		return &customsv1.ReceiveReturnResponse{List: inventoryListOut(l)}, nil
	})
}

// GetPositiveList implements customsv1.EcommerceServiceServer: the zone's
// positive list, for any authenticated principal.
func (s *EcommerceServer) GetPositiveList(ctx context.Context, _ *customsv1.GetPositiveListRequest) (*customsv1.GetPositiveListResponse, error) {
	return handle(ctx, nil, func(access.Principal) (*customsv1.GetPositiveListResponse, error) {
		out := &customsv1.GetPositiveListResponse{}
		for _, e := range s.svc.PositiveList() {
			c := ""
			if e.AnnualCap.IsPositive() {
				c = e.AnnualCap.String()
			}
			out.Entries = append(out.Entries, &customsv1.PositiveListEntry{HsPrefix: e.HSPrefix, AnnualCap: c, Note: e.Note})
		}
		return out, nil
	})
}

// GetSettlement implements customsv1.EcommerceServiceServer.
func (s *EcommerceServer) GetSettlement(ctx context.Context, r *customsv1.GetSettlementRequest) (*customsv1.GetSettlementResponse, error) {
	return handle(ctx, settlementRenames, func(p access.Principal) (*customsv1.GetSettlementResponse, error) {
		var ps parser
		from, to := ps.reqDate(r.GetFromDate(), "from_date"), ps.reqDate(r.GetToDate(), "to_date")
		export := ps.enum(customsv1.SettlementExport_name, "SETTLEMENT_EXPORT_", int32(r.GetExport()), "export")
		if ps.err != nil {
			return nil, ps.err
		}
		st, err := s.svc.Settle(ctx, p, r.GetGuarantor(), from, to)
		if err != nil {
			return nil, err
		}
		out := &customsv1.GetSettlementResponse{Settlement: settlementOut(st)}
		var buf bytes.Buffer
		switch export {
		case "CSV":
			err = st.WriteCSV(&buf)
			out.ContentType, out.FileName = "text/csv", settlementFileName(st, "csv")
		case "XLSX":
			err = st.WriteXLSX(&buf)
			out.ContentType, out.FileName = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", settlementFileName(st, "xlsx")
		}
		if err != nil {
			return nil, fmt.Errorf("writing the settlement file: %w", err)
		}
		if export != "" {
			out.File = buf.Bytes()
		}
		return out, nil
	})
}

// RecordTaxPayment implements customsv1.EcommerceServiceServer: customs
// records a guarantor's payment of the tax of some inventory lists.
func (s *EcommerceServer) RecordTaxPayment(ctx context.Context, r *customsv1.RecordTaxPaymentRequest) (*customsv1.RecordTaxPaymentResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.RecordTaxPaymentResponse, error) {
		var ps parser
		amount, paidOn := ps.dec(r.GetAmount(), "amount"), ps.reqDate(r.GetPaidOn(), "paid_on")
		if ps.err != nil {
			return nil, ps.err
		}
		pay, err := s.svc.RecordTaxPayment(ctx, p, ecommerce.TaxPayment{No: r.GetPaymentNo(), Amount: amount, PaidOn: paidOn, ListNos: r.GetListNos()})
		if err != nil {
			return nil, err
		}
		return &customsv1.RecordTaxPaymentResponse{Payment: taxPaymentOut(pay)}, nil
	})
}
