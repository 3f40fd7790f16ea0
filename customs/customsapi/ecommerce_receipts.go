package customsapi

import (
	"context"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/ecommerce"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// GetInventoryMessage implements customsv1.EcommerceServiceServer: a
// released list as its CEB621 message.
func (s *EcommerceServer) GetInventoryMessage(ctx context.Context, r *customsv1.GetInventoryMessageRequest) (*customsv1.GetInventoryMessageResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.GetInventoryMessageResponse, error) {
		data, name, err := s.svc.InventoryMessage(ctx, p, r.GetListNo())
		if err != nil {
			return nil, err
		}
		return &customsv1.GetInventoryMessageResponse{Message: data, FileName: name}, nil
	})
}

// ImportReceipts implements customsv1.EcommerceServiceServer: customs'
// CEB622 receipts, answered per receipt.
func (s *EcommerceServer) ImportReceipts(ctx context.Context, r *customsv1.ImportReceiptsRequest) (*customsv1.ImportReceiptsResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.ImportReceiptsResponse, error) {
		res, err := s.svc.ImportReceipts(ctx, p, r.GetMessages())
		if err != nil {
			return nil, err
		}
		out := &customsv1.ImportReceiptsResponse{Results: make([]*customsv1.ReceiptResult, len(res))}
		for i, rr := range res {
			o := &customsv1.ReceiptResult{Message: int32(rr.Message), Receipt: int32(rr.Index), ListNo: rr.ListNo, StatusCode: rr.Code,
				Applied: rr.Applied, Duplicate: rr.Duplicate}
			if rr.Err != nil {
				o.Error = documentError(rr.Err)
			} else {
				o.List = inventoryListOut(rr.List)
			}
			out.Results[i] = o
		}
		return out, nil
	})
}

// customsStatusOut sets a list's customs status fields from its receipts.
func customsStatusOut(out *customsv1.InventoryList, l ecommerce.InventoryList) {
	if l.CustomsStatus != "" {
		out.CustomsStatus = customsv1.InventoryListCustomsStatus(enumOut(customsv1.InventoryListCustomsStatus_value, "INVENTORY_LIST_CUSTOMS_STATUS_", string(l.CustomsStatus)))
		out.CustomsStatusTime = ts(l.CustomsStatusAt)
	}
	out.CustomsStatusCode, out.CustomsNote, out.CustomsPreNo, out.CustomsInvtNo = l.CustomsStatusCode, l.CustomsNote, l.CustomsPreNo, l.CustomsInvtNo
}
