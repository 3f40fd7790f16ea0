package customsapi

import (
	"context"
	"errors"
	"fmt"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/sasmessage"
	"github.com/zoneledger/zoneledger/ledger"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// ExportPassMessage implements customsv1.GateServiceServer.
func (s *GateServer) ExportPassMessage(ctx context.Context, r *customsv1.ExportPassMessageRequest) (*customsv1.ExportPassMessageResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.ExportPassMessageResponse, error) {
		format := sasmessage.XML
		switch r.GetFormat() {
		case customsv1.PassMessageFormat_PASS_MESSAGE_FORMAT_UNSPECIFIED, customsv1.PassMessageFormat_PASS_MESSAGE_FORMAT_XML:
		case customsv1.PassMessageFormat_PASS_MESSAGE_FORMAT_JSON:
			format = sasmessage.JSON
		default:
			return nil, ledger.BadArgument("format", "%d is not a message format; use XML or JSON", r.GetFormat())
		}
		data, name, err := sasmessage.New(s.svc, nil).ExportPass(ctx, p, r.GetPassNo(), format)
		if err != nil {
			return nil, err
		}
		return &customsv1.ExportPassMessageResponse{Message: data, FileName: name}, nil
	})
}

// ImportPassReceipts implements customsv1.GateServiceServer: every
// message read first (a malformed one refuses the call, nothing applied),
// then the receipts in order, each in its own transaction; the first
// refused one stops the call with its field prefixed by messages[i].
func (s *GateServer) ImportPassReceipts(ctx context.Context, r *customsv1.ImportPassReceiptsRequest) (*customsv1.ImportPassReceiptsResponse, error) {
	return handle(ctx, nil, func(p access.Principal) (*customsv1.ImportPassReceiptsResponse, error) {
		out := &customsv1.ImportPassReceiptsResponse{}
		results, i, err := sasmessage.New(s.svc, nil).ImportPassReceipts(ctx, p, r.GetMessages())
		if err != nil {
			return nil, inMessage(err, i)
		}
		for _, res := range results {
			out.Results = append(out.Results, &customsv1.PassReceiptResult{MessageType: res.MessageType, MessageId: res.MessageID,
				PassNo: res.Pass.No, CustomsNo: res.Pass.CustomsNo, Changed: res.Changed,
				Status: customsv1.PassStatus(enumOut(customsv1.PassStatus_value, "PASS_STATUS_", string(res.Pass.Status)))})
		}
		return out, nil
	})
}

// inMessage names message i in a refusal's field: messages[i] alone, or
// followed by the element path ("messages[2].Package/DataInfo/...").
func inMessage(err error, i int) error {
	var le *ledger.Error
	if !errors.As(err, &le) || le.Kind == ledger.KindPermissionDenied || le.Kind == ledger.KindInternal || le.Kind == ledger.KindUnavailable {
		return err
	}
	c := *le
	c.Field = fmt.Sprintf("messages[%d]", i)
	if le.Field != "" && le.Field != "message" {
		c.Field += "." + le.Field
	}
	return &c
}
