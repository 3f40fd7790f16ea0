package ecommerce

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/singlewindow"
	"github.com/zoneledger/zoneledger/customs/singlewindow/ceb"
	"github.com/zoneledger/zoneledger/ledger"
)

// Stable reasons of SubmitMessages refusals (reason.proto, 560-569).
const (
	// ReasonMessageMalformed: a message is not a CEB311, CEB411 or CEB511
	// message the server will read (not well-formed, another root, a
	// DOCTYPE, too deep, too large, not UTF-8).
	ReasonMessageMalformed = "MESSAGE_MALFORMED"
	// ReasonMessageField: a message breaks one of its own field rules; the
	// field names the element path.
	ReasonMessageField = "MESSAGE_FIELD"
	// ReasonMessageEnterprise: a payment or waybill whose e-commerce
	// enterprise cannot be told (the messages carry no ebcCode).
	ReasonMessageEnterprise = "MESSAGE_ENTERPRISE_UNKNOWN"
	// ReasonMessageNotDeclared: a document saved, not declared (appStatus
	// 1, 暂存): nothing to receive.
	ReasonMessageNotDeclared = "MESSAGE_NOT_DECLARED"
	// ReasonMessageDelete: a document asking to delete (appType 3); an
	// order is cancelled with CancelOrder.
	ReasonMessageDelete = "MESSAGE_DELETE_UNSUPPORTED"
)

// Limits of one SubmitMessages call.
const (
	// MaxMessages is the most messages one call carries.
	MaxMessages = 100
	// MaxMessageDocuments is the most documents (orders, payments and
	// waybills together) the messages of one call carry.
	MaxMessageDocuments = 1000
)

// MessageResult answers one document of a SubmitMessages call, or a
// message refused as a whole (Document -1, Kind "").
type MessageResult struct {
	// Message is the message's index in the call; Document the document's
	// index inside it (the n-th <ceb:Order>, <ceb:Payment> or
	// <ceb:Logistics>), -1 when the message as a whole was refused.
	Message, Document int
	// Kind is "order", "payment" or "waybill"; OrderNo the document's
	// order number.
	Kind, OrderNo string
	// Order is the order as the document left it (empty while the order
	// itself has not arrived); Err why the document was refused.
	Order Order
	Err   error
}

// SubmitMessages receives single-window messages as platforms, payment and
// logistics enterprises send them — CEB311 orders, CEB411 payments and
// CEB511 waybills, each message with one or more documents — and enters
// each document into the 三单 match exactly as SubmitDocuments does (the
// same checks, idempotency and refusals). A message that does not parse is
// refused as a whole (MESSAGE_MALFORMED), one that breaks its field rules
// too (MESSAGE_FIELD naming the element path); either changes nothing.
// Every other document is answered on its own, in message and document
// order.
//
// Payments and waybills carry no e-commerce enterprise (ebcCode): theirs
// is the enterprise of the order of the same number in the same call,
// else the enterprise the call names, else the caller's only enterprise;
// failing all three, the document is refused (MESSAGE_ENTERPRISE_UNKNOWN).
// The call fails as a whole, like SubmitDocuments, when it carries more
// than MaxMessages messages or MaxMessageDocuments documents, or when the
// caller may not submit for one of the enterprises (PERMISSION_DENIED).
func (s *Service) SubmitMessages(ctx context.Context, p access.Principal, enterprise string, msgs [][]byte) ([]MessageResult, error) {
	if len(msgs) == 0 || len(msgs) > MaxMessages {
		return nil, ledger.BadArgument("messages", "send 1 to %d messages per call (got %d)", MaxMessages, len(msgs))
	}
	var out []MessageResult
	var docs []Document
	var at []int // out index of each of docs
	orderEnt := map[string]string{}
	type pending struct {
		res  MessageResult
		doc  Document
		head func() (appType, appStatus string)
		// path is the element path of the document (for its refusals).
		path string
	}
	var all []pending
	for i, data := range msgs {
		v, err := ceb.Decode(data)
		if err != nil {
			all = append(all, pending{res: MessageResult{Message: i, Document: -1, Err: messageError(i, err)}})
			continue
		}
		switch m := v.(type) {
		case *ceb.OrderMessage:
			for j, o := range m.Orders {
				doc := orderDocument(o)
				orderEnt[o.Head.OrderNo] = o.Head.EbcCode
				h := o.Head
				all = append(all, pending{res: MessageResult{Message: i, Document: j, Kind: "order", OrderNo: h.OrderNo}, doc: doc,
					head: func() (string, string) { return h.AppType, h.AppStatus }, path: fmt.Sprintf("messages[%d]/%s/Order[%d]", i, ceb.RootOrder, j)})
			}
		case *ceb.PaymentMessage:
			for j, pm := range m.Payments {
				h := pm.Head
				all = append(all, pending{res: MessageResult{Message: i, Document: j, Kind: "payment", OrderNo: h.OrderNo}, doc: paymentDocument(h),
					head: func() (string, string) { return h.AppType, h.AppStatus }, path: fmt.Sprintf("messages[%d]/%s/Payment[%d]", i, ceb.RootPayment, j)})
			}
		case *ceb.WaybillMessage:
			for j, w := range m.Waybills {
				h := w.Head
				all = append(all, pending{res: MessageResult{Message: i, Document: j, Kind: "waybill", OrderNo: h.OrderNo}, doc: waybillDocument(h),
					head: func() (string, string) { return h.AppType, h.AppStatus }, path: fmt.Sprintf("messages[%d]/%s/Logistics[%d]", i, ceb.RootWaybill, j)})
			}
		}
		if len(all) > MaxMessageDocuments {
			return nil, ledger.BadArgument("messages", "the messages of one call carry at most %d documents; send the rest in another call", MaxMessageDocuments)
		}
	}
	for _, d := range all {
		r := d.res
		if r.Err != nil {
			out = append(out, r)
			continue
		}
		headPath := d.path + "/" + map[string]string{"order": "OrderHead", "payment": "PaymentHead", "waybill": "LogisticsHead"}[r.Kind]
		appType, appStatus := d.head()
		switch {
		case appStatus == "1":
			r.Err = ledger.Precondition(ReasonMessageNotDeclared, headPath+"/appStatus", "the %s of order %s is saved (appStatus 1, 暂存), not declared: send it with appStatus 2 to declare it", r.Kind, r.OrderNo)
		case appType == "3":
			r.Err = ledger.Precondition(ReasonMessageDelete, headPath+"/appType", "a %s is not deleted by message (appType 3): cancel order %s with CancelOrder (zonectl customs ecommerce cancel)", r.Kind, r.OrderNo)
		case r.Kind != "order":
			d.doc.Enterprise = orderEnt[r.OrderNo]
			if d.doc.Enterprise == "" {
				d.doc.Enterprise = enterprise
			}
			if d.doc.Enterprise == "" {
				d.doc.Enterprise = onlyEnterprise(p)
			}
			if d.doc.Enterprise == "" {
				r.Err = ledger.Invalid(ReasonMessageEnterprise, "enterprise",
					"the %s of order %s names no e-commerce enterprise and neither does the call: send it with its order, or name the enterprise (SubmitMessagesRequest.enterprise, zonectl --enterprise)", r.Kind, r.OrderNo)
			}
		}
		if r.Err == nil && !p.CanWrite(d.doc.Enterprise) {
			f := "enterprise"
			if r.Kind == "order" {
				f = headPath + "/ebcCode"
			}
			return nil, ledger.Errorf(ledger.KindPermissionDenied, ledger.ReasonPermissionDenied, f,
				"principal %q (%s) may not submit documents for %q: a platform submits only for the enterprises it is linked to", p.ID, p.Role, d.doc.Enterprise)
		}
		out = append(out, r)
		if r.Err == nil {
			docs, at = append(docs, d.doc), append(at, len(out)-1)
		}
	}
	if len(docs) > 0 {
		for k, res := range s.SubmitDocuments(ctx, p, docs) {
			r := &out[at[k]]
			r.Order, r.Err = res.Order, elementField(res.Err, r.Kind, messagePath(r))
		}
	}
	return out, nil
}

// messagePath is the element path of a result's document head.
func messagePath(r *MessageResult) string {
	switch r.Kind {
	case "order":
		return fmt.Sprintf("messages[%d]/%s/Order[%d]", r.Message, ceb.RootOrder, r.Document)
	case "payment":
		return fmt.Sprintf("messages[%d]/%s/Payment[%d]/PaymentHead", r.Message, ceb.RootPayment, r.Document)
	}
	return fmt.Sprintf("messages[%d]/%s/Logistics[%d]/LogisticsHead", r.Message, ceb.RootWaybill, r.Document)
}

// onlyEnterprise is the one enterprise p submits for, or "".
func onlyEnterprise(p access.Principal) string {
	switch {
	case p.Role == access.RoleEnterprise:
		return p.Enterprise
	case p.Role == access.RolePlatform && len(p.LinkedEnterprises) == 1:
		return p.LinkedEnterprises[0]
	}
	return ""
}

// messageError turns a decoding or field-rule refusal of message i into a
// ledger error naming the element path under messages[i].
func messageError(i int, err error) error {
	var fe *singlewindow.FieldError
	if !errors.As(err, &fe) {
		return ledger.Invalid(ReasonMessageMalformed, fmt.Sprintf("messages[%d]", i), "%v", err)
	}
	field := fmt.Sprintf("messages[%d]", i)
	if fe.Path != "" {
		field += "/" + fe.Path
	}
	if fe.Err != nil {
		return ledger.Invalid(ReasonMessageMalformed, field, "%s; nothing in the message was taken", fe.Message)
	}
	return ledger.Invalid(ReasonMessageField, field, "%s; nothing in the message was taken: fix the element and send the message again", fe.Message)
}

// amount reads an amount the message's rules already checked.
func amount(s string) decimal.Decimal {
	d, _ := singlewindow.ParseAmount(s)
	return d
}

func orderDocument(o ceb.Order) Document {
	h := o.Head
	ord := &Order{OrderNo: h.OrderNo, Enterprise: h.EbcCode,
		Buyer:      Person{Name: h.BuyerName, IDNumber: h.BuyerIDNumber, Phone: h.BuyerTelephone},
		Consignee:  Person{Name: h.Consignee, Phone: h.ConsigneeTelephone, Address: h.ConsigneeAddress},
		GoodsValue: amount(h.GoodsValue), Freight: amount(h.Freight), Discount: amount(h.Discount),
		TaxTotal: amount(h.TaxTotal), ActualPaid: amount(h.ActuralPaid)}
	for _, l := range o.Lines {
		ord.Lines = append(ord.Lines, OrderLine{ItemNo: l.ItemNo, Name: l.ItemName, Quantity: amount(l.Qty), Price: amount(l.Price), Total: amount(l.TotalPrice)})
	}
	return Document{Enterprise: h.EbcCode, Order: ord}
}

func paymentDocument(h ceb.PaymentHead) Document {
	pay := &Payment{OrderNo: h.OrderNo, PayCode: h.PayCode, TransactionID: h.PayTransactionID,
		Payer: Person{Name: h.PayerName, IDNumber: h.PayerIDNumber, Phone: h.Telephone}, Amount: amount(h.AmountPaid)}
	if t, err := singlewindow.ParseTime(h.PayTime); err == nil {
		pay.PaidAt = t.UTC()
	}
	return Document{Payment: pay}
}

func waybillDocument(h ceb.WaybillHead) Document {
	return Document{Waybill: &Waybill{OrderNo: h.OrderNo, LogisticsNo: h.LogisticsNo, LogisticsCode: h.LogisticsCode,
		Consignee: Person{Name: h.Consignee, Phone: h.ConsigneeTelephone, Address: h.ConsigneeAddress}}}
}

// documentElements maps the fields SubmitDocuments' refusals name to the
// elements of the messages they came from.
var documentElements = map[string]map[string]string{
	"order": {"order_no": "OrderHead/orderNo", "enterprise": "OrderHead/ebcCode", "buyer.name": "OrderHead/buyerName",
		"buyer.id_number": "OrderHead/buyerIdNumber", "consignee.name": "OrderHead/consignee", "goods_value": "OrderHead/goodsValue",
		"freight": "OrderHead/freight", "discount": "OrderHead/discount", "tax_total": "OrderHead/taxTotal",
		"actual_paid": "OrderHead/acturalPaid", "lines": "OrderList", "item_no": "itemNo", "quantity": "qty", "price": "price", "total": "totalPrice"},
	"payment": {"order_no": "orderNo", "payer.name": "payerName", "payer.id_number": "payerIdNumber", "amount": "amountPaid"},
	"waybill": {"order_no": "orderNo", "logistics_no": "logisticsNo", "consignee.name": "consignee"},
}

var lineField = regexp.MustCompile(`^lines\[(\d+)\]\.(\w+)$`)

// elementField renames the field of a refusal from SubmitDocuments' names
// to the element path in the message; a field it does not know is kept.
func elementField(err error, kind, path string) error {
	var le *ledger.Error
	if !errors.As(err, &le) || le.Field == "" {
		return err
	}
	names := documentElements[kind]
	field := ""
	if m := lineField.FindStringSubmatch(le.Field); m != nil && kind == "order" {
		if el, ok := names[m[2]]; ok {
			field = fmt.Sprintf("%s/OrderList[%s]/%s", path, m[1], el)
		}
	} else if el, ok := names[le.Field]; ok {
		field = path + "/" + el
	}
	if field == "" || strings.HasPrefix(le.Field, "messages[") {
		return err
	}
	c := *le
	c.Field = field
	return &c
}
