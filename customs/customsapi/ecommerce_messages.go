package customsapi

import (
	"context"

	"github.com/zoneledger/zoneledger/customs/access"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// SubmitMessages implements customsv1.EcommerceServiceServer: the
// single-window messages go to ecommerce.Service.SubmitMessages as sent;
// each result names its message, document, kind and order number.
func (s *EcommerceServer) SubmitMessages(ctx context.Context, r *customsv1.SubmitMessagesRequest) (*customsv1.SubmitMessagesResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.SubmitMessagesResponse, error) {
		res, err := s.svc.SubmitMessages(ctx, p, r.GetEnterprise(), r.GetMessages())
		if err != nil {
			return nil, err
		}
		out := &customsv1.SubmitMessagesResponse{Results: make([]*customsv1.MessageDocumentResult, len(res))}
		for i, m := range res {
			o := &customsv1.MessageDocumentResult{Message: int32(m.Message), Document: int32(m.Document), Kind: m.Kind, OrderNo: m.OrderNo}
			if m.Err != nil {
				o.Error = documentError(m.Err)
			} else if m.Order.OrderNo != "" {
				o.Order = orderOut(m.Order)
			}
			out.Results[i] = o
		}
		return out, nil
	})
}
