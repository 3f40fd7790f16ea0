package ecommerce

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/singlewindow"
	"github.com/zoneledger/zoneledger/customs/singlewindow/ceb"
	"github.com/zoneledger/zoneledger/ledger"
)

// Reasons of the CEB621 export and the CEB622 import (reasons block
// 570-579 of the API).
const (
	// ReasonListNotReleased: the list was refused (its stock was short)
	// and was never declared, so it has no CEB621.
	ReasonListNotReleased = "ECOMMERCE_LIST_NOT_RELEASED"
	// ReasonInexactTotal: a line's price × quantity has more than five
	// decimal places, so no CEB621 line can carry it exactly.
	ReasonInexactTotal = "ECOMMERCE_CEB621_INEXACT_TOTAL"
	// ReasonCEB621Incomplete: the list's documents lack what a CEB621
	// requires (e.g. the buyer's telephone) or hold more than it takes;
	// the field is the element path.
	ReasonCEB621Incomplete = "ECOMMERCE_CEB621_INCOMPLETE"
	// ReasonReceiptMalformed: a CEB622 message does not parse or breaks
	// its field rules (the field is the element path).
	ReasonReceiptMalformed = "ECOMMERCE_RECEIPT_MALFORMED"
	// ReasonReceiptUnknownList: a receipt's copNo names no inventory list.
	ReasonReceiptUnknownList = "ECOMMERCE_RECEIPT_UNKNOWN_LIST"
	// ReasonReceiptUnknownStatus: a receipt's returnStatus is not in the
	// table of CEB622 status codes (README).
	ReasonReceiptUnknownStatus = "ECOMMERCE_RECEIPT_UNKNOWN_STATUS"
	// ReasonReceiptListMismatch: a receipt's platform or e-commerce
	// enterprise code is not the list's.
	ReasonReceiptListMismatch = "ECOMMERCE_RECEIPT_LIST_MISMATCH"
	// ReasonReceiptWrongStatus: a 退单 for a list whose goods already came
	// partly back through a buyer's return.
	ReasonReceiptWrongStatus = "ECOMMERCE_RECEIPT_WRONG_STATUS"
	// ReasonReceiptInvtNoTaken: a receipt's invtNo is another list's
	// customs number, or the list already has another one.
	ReasonReceiptInvtNoTaken = "ECOMMERCE_RECEIPT_INVT_NO_TAKEN"
)

// InventoryMessage is a released inventory list as the CEB621 message it
// corresponds to (see the package doc, "The CEB621 of a list"), and a file
// name for it. Whoever may read the list may ask; a list refused for stock
// was never declared (FAILED_PRECONDITION, ECOMMERCE_LIST_NOT_RELEASED).
func (s *Service) InventoryMessage(ctx context.Context, p access.Principal, no string) ([]byte, string, error) {
	l, err := loadList(ctx, s.pool, no, false)
	if err != nil {
		return nil, "", dbError(err)
	}
	if err := hideFrom(p, l.Enterprise, listNotFound(no)); err != nil {
		return nil, "", err
	}
	m, err := s.ceb621(ctx, l)
	if err != nil {
		return nil, "", err
	}
	out, err := ceb.EncodeInventory(m)
	var fe *singlewindow.FieldError
	if errors.As(err, &fe) {
		return nil, "", ledger.Precondition(ReasonCEB621Incomplete, fe.Path, "list %s cannot be written as a CEB621: %s (from its order, waybill, channel or the warehouse's book and enterprise); the list itself stands",
			l.No, fe.Message)
	}
	if err != nil {
		return nil, "", err
	}
	return out, "CEB621_" + l.No + ".xml", nil
}

// stableGUID is a 36-character guid derived from parts, so that a list's
// message is the same every time it is exported.
func stableGUID(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	x := hex.EncodeToString(h.Sum(nil))
	return x[0:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:32]
}

// ebcCode is the code an e-commerce enterprise is named by in CEB
// messages: its customs code when it is registered in the zone, else its
// USCC.
func (s *Service) ebcCode(ctx context.Context, uscc string) (code, name string, err error) {
	e, err := s.zone.EnterpriseByUSCC(ctx, uscc)
	if err != nil {
		if le := ledger.AsError(err); le != nil && le.Kind == ledger.KindNotFound {
			return uscc, "", nil
		}
		return "", "", err
	}
	if e.CustomsCode == "" {
		return uscc, e.Name, nil
	}
	return e.CustomsCode, e.Name, nil
}

// ceb621 builds the CEB621 of a released list from the list, its order
// and waybill, its channel and the warehouse's book.
func (s *Service) ceb621(ctx context.Context, l InventoryList) (ceb.CEB621Message, error) {
	var m ceb.CEB621Message
	if l.Status == ListRefused || l.Status == ListReleasing || l.ReleasedOn.IsZero() {
		return m, ledger.Precondition(ReasonListNotReleased, "list_no", "list %s is %s: it was never released, so it has no CEB621", l.No, l.Status)
	}
	r, ok, err := loadOrder(ctx, s.pool, l.OrderNo, false)
	if err != nil {
		return m, dbError(err)
	}
	if !ok {
		return m, orderNotFound(l.OrderNo)
	}
	o, err := r.order()
	if err != nil {
		return m, err
	}
	var wb Waybill
	if err := jsonUnmarshal(r.bodies[kindWaybill], &wb); err != nil {
		return m, err
	}
	ch, err := loadChannel(ctx, s.pool, l.Enterprise)
	if err != nil {
		return m, err
	}
	book, err := s.zone.BookByNo(ctx, l.Book)
	if err != nil {
		return m, err
	}
	wh, err := s.zone.EnterpriseByUSCC(ctx, book.Enterprise)
	if err != nil {
		return m, err
	}
	ebc, ebcName, err := s.ebcCode(ctx, l.Enterprise)
	if err != nil {
		return m, err
	}
	if ch.Name != "" {
		ebcName = ch.Name
	}
	if ebcName == "" {
		ebcName = ebc
	}
	whCode := wh.CustomsCode
	if whCode == "" {
		whCode = wh.USCC
	}
	dxp := s.set.CEBDxpID
	if dxp == "" {
		dxp = whCode
	}
	released := ledger.FormatDate(l.ReleasedOn)
	day := released[0:4] + released[5:7] + released[8:10]
	head := ceb.InventoryHead{
		GUID: stableGUID("CEB621 head", l.No), AppType: "1", AppTime: singlewindow.FormatTime(l.CreatedAt), AppStatus: "2",
		OrderNo: l.OrderNo, EbpCode: l.Platform, EbpName: l.Platform, EbcCode: ebc, EbcName: ebcName,
		LogisticsNo: wb.LogisticsNo, LogisticsCode: wb.LogisticsCode, LogisticsName: wb.LogisticsCode,
		CopNo: l.No, PreNo: l.CustomsPreNo, AssureCode: l.Guarantor, EmsNo: l.Book, InvtNo: l.CustomsInvtNo,
		IEFlag: "I", DeclTime: day, CustomsCode: book.CustomsOffice, PortCode: book.CustomsOffice, IEDate: day,
		BuyerIDType: "1", BuyerIDNumber: o.Buyer.IDNumber, BuyerName: o.Buyer.Name, BuyerTelephone: o.Buyer.Phone,
		ConsigneeAddress: o.Consignee.Address, AgentCode: whCode, AgentName: wh.Name, AreaCode: whCode, AreaName: wh.Name,
		TradeMode: "1210", TrafMode: s.set.CEB621TrafMode, Country: "142",
		Freight: o.Freight.StringFixed(2), InsuredFee: o.Insurance.StringFixed(2), Currency: "142",
		WrapType: "2", PackNo: "1",
	}
	if head.BuyerTelephone == "" {
		head.BuyerTelephone = o.Consignee.Phone
	}
	kg := decimal.Zero
	inv := ceb.Inventory{Head: head}
	for i, ln := range l.Lines {
		bl, err := s.zone.LineByPart(ctx, l.Book, ln.ItemNo, fmt.Sprintf("lines[%d].item_no", i))
		if err != nil {
			return m, err
		}
		total := ln.Price.Mul(ln.Quantity)
		if ledger.Places(total) > 5 {
			return m, ledger.Precondition(ReasonInexactTotal, fmt.Sprintf("lines[%d].total", i), "line %d: price %s × quantity %s = %s has more than 5 decimal places; no CEB621 line carries it exactly", ln.Seq, ln.Price, ln.Quantity, total)
		}
		out := ceb.InventoryLine{Gnum: strconv.Itoa(ln.Seq), ItemRecordNo: ln.ItemNo, ItemNo: ln.ItemNo, ItemName: ln.Name,
			Gcode: ln.HSCode, Gname: ln.Name, Gmodel: bl.Spec, Currency: "142",
			Qty: ln.Quantity.String(), Unit: ln.Unit, Qty1: ln.LegalQuantity.String(), Unit1: ln.LegalUnit,
			Price: ln.Price.String(), TotalPrice: ledger.FormatMoney(total)}
		if bl.Second != nil {
			out.Qty2, out.Unit2 = ln.Quantity.Mul(bl.Second.Factor).String(), bl.Second.Unit
		}
		if ln.LegalUnit == unitKilogram {
			kg = kg.Add(ln.LegalQuantity)
		}
		inv.Lines = append(inv.Lines, out)
	}
	inv.Head.GrossWeight, inv.Head.NetWeight = kg.String(), kg.String()
	m = ceb.CEB621Message{GUID: stableGUID("CEB621 message", l.No), Version: "1.0", Inventories: []ceb.Inventory{inv},
		Transfer: ceb.BaseTransfer{CopCode: whCode, CopName: wh.Name, DxpMode: "DXP", DxpID: dxp}}
	return m, nil
}

// unitKilogram is the customs unit code of the kilogram (千克).
const unitKilogram = "035"
