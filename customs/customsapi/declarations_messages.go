package customsapi

import (
	"context"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/sasmessage"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// listMessages is the verification-list message service over the
// server's zone service.
func (s *DeclarationServer) listMessages() *sasmessage.Service { return sasmessage.New(s.svc, nil) }

func listFormatIn(f customsv1.ListMessageFormat) sasmessage.Format {
	if f == customsv1.ListMessageFormat_LIST_MESSAGE_FORMAT_JSON {
		return sasmessage.JSON
	}
	return sasmessage.XML
}

// ExportListMessage implements customsv1.DeclarationServiceServer.
func (s *DeclarationServer) ExportListMessage(ctx context.Context, r *customsv1.ExportListMessageRequest) (*customsv1.ExportListMessageResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.ExportListMessageResponse, error) {
		data, name, err := s.listMessages().Export(ctx, p, r.GetListNo(), listFormatIn(r.GetFormat()))
		if err != nil {
			return nil, err
		}
		return &customsv1.ExportListMessageResponse{Message: data, FileName: name}, nil
	})
}

// FileListMessage implements customsv1.DeclarationServiceServer.
func (s *DeclarationServer) FileListMessage(ctx context.Context, r *customsv1.FileListMessageRequest) (*customsv1.FileListMessageResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.FileListMessageResponse, error) {
		l, err := s.listMessages().File(ctx, p, r.GetMessage(), listFormatIn(r.GetFormat()))
		if err != nil {
			return nil, err
		}
		return &customsv1.FileListMessageResponse{List: listOut(l)}, nil
	})
}

// ImportListReceipts implements customsv1.DeclarationServiceServer.
func (s *DeclarationServer) ImportListReceipts(ctx context.Context, r *customsv1.ImportListReceiptsRequest) (*customsv1.ImportListReceiptsResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.ImportListReceiptsResponse, error) {
		outs, err := s.listMessages().ImportReceipts(ctx, p, r.GetMessages())
		if err != nil {
			return nil, err
		}
		resp := &customsv1.ImportListReceiptsResponse{}
		for _, o := range outs {
			resp.Outcomes = append(resp.Outcomes, &customsv1.ListReceiptOutcome{MessageId: o.MessageID, List: listOut(o.List), Changed: o.Changed})
		}
		return resp, nil
	})
}
