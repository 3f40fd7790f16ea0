package demo

import (
	"bytes"
	"context"
	"embed"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"text/template"
	"time"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// The single window scene (section 22, played on the server's today): one
// list's full trip through the single window's messages. The logistics
// enterprise opens a book of its own for the scene, files and declares an
// entry list and exports it as INV101; the demo plays customs and answers
// with INV201, which stores the list's customs number; the pass for the
// list leaves as SAS121, naming the list by that number; customs answers
// with SAS221 (the pass approved, its customs number stored) and SAS251
// 已过卡 (the vehicle passed), sent twice: the goods move once. Customs'
// receipts are written from the templates in messages/; every figure
// printed is the server's.

// singleWindowBook is the book the scene opens: its own, so that the
// logistics centre's books stay as the month left them.
const singleWindowBook = "T4601W000522"

// Customs' numbers the demo, playing customs, gives the list and the pass.
const (
	singleWindowListNo = "QD460126I000000522"
	singleWindowPassNo = "Z4601I261206000000000522"
)

//go:embed messages/*.xml
var customsReceipts embed.FS

// receiptTemplates are customs' receipts, filled with text/template; x
// escapes a value for XML.
var receiptTemplates = template.Must(template.New("").Funcs(template.FuncMap{"x": func(s string) (string, error) {
	var b strings.Builder
	err := xml.EscapeText(&b, []byte(s))
	return b.String(), err
}}).ParseFS(customsReceipts, "messages/*.xml"))

// receiptFields fill customs' receipt templates.
type receiptFields struct {
	CustomsNo, ListNo, InnerNo, Book, USCC, CustomsCode, Name, Office string
	Receiver, SendTime, ManageDate                                    string
	MessageID, PassID, PassTime, Vehicle                              string
	VehicleWt, TotalWt, Gross, Net                                    string
}

func fillReceipt(name string, f receiptFields) ([]byte, error) {
	var b bytes.Buffer
	if err := receiptTemplates.ExecuteTemplate(&b, name, f); err != nil {
		return nil, fmt.Errorf("writing customs' %s: %w", name, err)
	}
	return b.Bytes(), nil
}

// SingleWindowResult is the single window scene as the server answered it.
type SingleWindowResult struct {
	Book string
	// List as filed, INV101 the key elements of its exported message, and
	// ListReceipt what customs' INV201 did.
	List        *customsv1.List
	INV101      inv101Keys
	INV101Name  string
	ListReceipt *customsv1.ListReceiptOutcome
	// ListByCustomsNo is GetList by customs' number.
	ListByCustomsNo *customsv1.List
	// Pass as filed; SAS121 the key elements of its exported message.
	Pass       *customsv1.Pass
	SAS121     sas121Keys
	SAS121Name string
	// Receipts are what SAS221 and SAS251 (twice) did.
	Receipts []*customsv1.PassReceiptResult
	// PassByCustomsNo is GetPass by customs' number, after the gate.
	PassByCustomsNo *customsv1.Pass
	// Before and After are the book's stock report before and after the
	// gate receipts.
	Before, After []*customsv1.StockLine
	// ListAfter is the list after its vehicle passed.
	ListAfter *customsv1.List
}

// inv101Keys are the INV101 elements the scene prints.
type inv101Keys struct {
	MessageType string `xml:"Object>Package>EnvelopInfo>message_type"`
	Sender      string `xml:"Object>Package>EnvelopInfo>sender_id"`
	Flag        string `xml:"Object>Package>DataInfo>BussinessData>DelcareFlag"`
	Head        struct {
		BondInvtNo      string `xml:"BondInvtNo"`
		PutrecNo        string `xml:"PutrecNo"`
		EtpsInnerInvtNo string `xml:"EtpsInnerInvtNo"`
		BizopEtpsSccd   string `xml:"BizopEtpsSccd"`
		ImpexpMarkcd    string `xml:"ImpexpMarkcd"`
		SupvModecd      string `xml:"SupvModecd"`
	} `xml:"Object>Package>DataInfo>BussinessData>InvtMessage>InvtHeadType"`
	Lines []struct {
		GdsSeqno    string `xml:"GdsSeqno"`
		PutrecSeqno string `xml:"PutrecSeqno"`
		Gdecd       string `xml:"Gdecd"`
		DclQty      string `xml:"DclQty"`
		DclUnitcd   string `xml:"DclUnitcd"`
	} `xml:"Object>Package>DataInfo>BussinessData>InvtMessage>InvtListType"`
}

// sas121Keys are the SAS121 elements the scene prints.
type sas121Keys struct {
	MessageType string `xml:"Object>Package>EnvelopInfo>message_type"`
	Head        struct {
		PassportNo   string `xml:"passportNo"`
		EtpsPreentNo string `xml:"etpsPreentNo"`
		RltTbTypecd  string `xml:"rltTbTypecd"`
		RltNo        string `xml:"rltNo"`
		VehicleNo    string `xml:"vehicleNo"`
		TotalWt      string `xml:"totalWt"`
		TotalGrossWt string `xml:"totalGrossWt"`
	} `xml:"Object>Package>DataInfo>BussinessData>PassPortMessage>PassportHead"`
}

func runSingleWindow(ctx context.Context, c *client, cast *logisticsCast, today time.Time) (*SingleWindowResult, error) {
	e, cu := cast.Yecheng, "customs-4601"
	p := &play{ctx: ctx, c: c}
	day := today.Format(time.DateOnly)
	res := &SingleWindowResult{Book: singleWindowBook}
	line := cast.T.line(4) // 开关电源, one unit a power supply
	bl := line.proto()
	bl.Seq = 1
	openBook(p, e.Principal, &customsv1.CreateBookRequest{BookNo: singleWindowBook, Kind: customsv1.BookKind_BOOK_KIND_LOGISTICS,
		Enterprise: e.USCC, CustomsOffice: customsOffice}, []*customsv1.BookLine{bl})

	// The list: filed, declared and exported as INV101.
	const qty, kg, netKg = "500", "165", "140"
	l := do(p, e.Principal, c.decl.CreateList, &customsv1.CreateListRequest{InnerNo: e.Prefix + "SW-" + strings.ReplaceAll(day, "-", ""),
		BookNo: singleWindowBook, Io: "I", TradeMode: "5034", Country: line.Country, Date: day, DeclarationKind: "2",
		Lines: []*customsv1.ListLine{{BookSeq: 1, Quantity: qty, Total: line.Price.Mul(d(qty)).StringFixed(2), Currency: "142", Country: line.Country,
			GrossWeight: kg, NetWeight: netKg}}}).GetList()
	res.List = do(p, e.Principal, c.decl.DeclareList, &customsv1.DeclareListRequest{ListNo: l.GetListNo()}).GetList()
	m := do(p, e.Principal, c.decl.ExportListMessage, &customsv1.ExportListMessageRequest{ListNo: l.GetListNo()})
	if p.err != nil {
		return res, p.err
	}
	res.INV101Name = m.GetFileName()
	if err := xml.Unmarshal(m.GetMessage(), &res.INV101); err != nil {
		return res, fmt.Errorf("reading the INV101 the server exported: %w", err)
	}

	// Customs (the demo) answers with INV201: approved, its number.
	f := receiptFields{CustomsNo: singleWindowListNo, InnerNo: res.INV101.Head.EtpsInnerInvtNo, Book: res.INV101.Head.PutrecNo, USCC: res.INV101.Head.BizopEtpsSccd,
		CustomsCode: e.CustomsNo, Name: e.Name, Office: customsOffice, Receiver: res.INV101.Sender,
		SendTime: today.Format("2006-01-02T15:04:05"), ManageDate: today.Format(time.DateTime)}
	inv201, err := fillReceipt("INV201.xml", f)
	if err != nil {
		return res, err
	}
	outcomes := do(p, cu, c.decl.ImportListReceipts, &customsv1.ImportListReceiptsRequest{Messages: [][]byte{inv201}}).GetOutcomes()
	if p.err != nil || len(outcomes) != 1 {
		p.fail("ImportListReceipts answered %d outcomes for one receipt", len(outcomes))
		return res, p.err
	}
	res.ListReceipt = outcomes[0]
	res.ListByCustomsNo = do(p, e.Principal, c.decl.GetList, &customsv1.GetListRequest{ListNo: singleWindowListNo}).GetList()

	// The pass for the list, exported as SAS121.
	const vehicle, vehicleKg = "琼A52201", "4500"
	res.Pass = do(p, e.Principal, c.gate.CreatePass, &customsv1.CreatePassRequest{InnerNo: e.Prefix + "HF-SW-" + strings.ReplaceAll(day, "-", ""),
		BookNo: singleWindowBook, PassType: "2", BindType: "2", Io: "I", RelatedType: "1", RelatedNos: []string{l.GetListNo()},
		Vehicle: vehicle, VehicleWeight: vehicleKg, GrossWeight: kg, NetWeight: netKg}).GetPass()
	pm := do(p, e.Principal, c.gate.ExportPassMessage, &customsv1.ExportPassMessageRequest{PassNo: res.Pass.GetPassNo()})
	if p.err != nil {
		return res, p.err
	}
	res.SAS121Name = pm.GetFileName()
	if err := xml.Unmarshal(pm.GetMessage(), &res.SAS121); err != nil {
		return res, fmt.Errorf("reading the SAS121 the server exported: %w", err)
	}
	res.Before = stockReport(p, cu, singleWindowBook)

	// Customs answers: SAS221 approved, then SAS251 已过卡, sent twice.
	f.CustomsNo, f.ListNo, f.InnerNo, f.Vehicle = singleWindowPassNo, res.SAS121.Head.RltNo, res.SAS121.Head.EtpsPreentNo, res.SAS121.Head.VehicleNo
	f.VehicleWt, f.TotalWt, f.Gross, f.Net = vehicleKg, res.SAS121.Head.TotalWt, res.SAS121.Head.TotalGrossWt, netKg
	f.MessageID, f.PassID, f.PassTime = "CUS0000"+singleWindowPassNo+"SAS251", "KK1-SW-"+strings.ReplaceAll(day, "-", ""), today.Add(-time.Minute).Format(time.DateTime)
	for _, name := range []string{"SAS221.xml", "SAS251.xml", "SAS251.xml"} {
		msg, err := fillReceipt(name, f)
		if err != nil {
			return res, err
		}
		res.Receipts = append(res.Receipts, do(p, cu, c.gate.ImportPassReceipts, &customsv1.ImportPassReceiptsRequest{Messages: [][]byte{msg}}).GetResults()...)
		if len(res.Receipts) == 1 {
			// Before the gate: the pass by customs' number, approved.
			res.PassByCustomsNo = do(p, e.Principal, c.gate.GetPass, &customsv1.GetPassRequest{PassNo: singleWindowPassNo}).GetPass()
		}
	}
	res.After = stockReport(p, cu, singleWindowBook)
	res.ListAfter = do(p, e.Principal, c.decl.GetList, &customsv1.GetListRequest{ListNo: singleWindowListNo}).GetList()
	return res, p.err
}

func printSingleWindow(w io.Writer, r *SingleWindowResult) {
	fmt.Fprintf(w, "22. A list's trip through the single window (INV101 → INV201 → SAS121 → SAS221 → SAS251), book %s\n\n", r.Book)
	fmt.Fprintf(w, "  The list %s (%s), declared, exported by ExportListMessage as %s:\n", r.List.GetListNo(), r.List.GetInnerNo(), r.INV101Name)
	h := r.INV101.Head
	fmt.Fprintf(w, "    message_type %s, DelcareFlag %s, PutrecNo %s, EtpsInnerInvtNo %s, BizopEtpsSccd %s, ImpexpMarkcd %s, SupvModecd %s, BondInvtNo %q\n",
		r.INV101.MessageType, r.INV101.Flag, h.PutrecNo, h.EtpsInnerInvtNo, h.BizopEtpsSccd, h.ImpexpMarkcd, h.SupvModecd, h.BondInvtNo)
	for _, ln := range r.INV101.Lines {
		fmt.Fprintf(w, "    line %s: PutrecSeqno %s, Gdecd %s, DclQty %s (unit %s)\n", ln.GdsSeqno, ln.PutrecSeqno, ln.Gdecd, ln.DclQty, ln.DclUnitcd)
	}
	lr := r.ListReceipt
	fmt.Fprintf(w, "\n  Customs' INV201 (message %s) imported by ImportListReceipts: list %s, customs number %s, status %s, changed %t.\n",
		lr.GetMessageId(), lr.GetList().GetListNo(), lr.GetList().GetCustomsNo(), strings.TrimPrefix(lr.GetList().GetStatus().String(), "LIST_STATUS_"), lr.GetChanged())
	fmt.Fprintf(w, "  GetList %s finds list %s.\n\n", r.ListByCustomsNo.GetCustomsNo(), r.ListByCustomsNo.GetListNo())
	s := r.SAS121.Head
	fmt.Fprintf(w, "  The pass %s (%s), exported by ExportPassMessage as %s:\n", r.Pass.GetPassNo(), r.Pass.GetInnerNo(), r.SAS121Name)
	fmt.Fprintf(w, "    message_type %s, etpsPreentNo %s, rltTbTypecd %s, rltNo %s (the list by customs' number), vehicleNo %s, totalWt %s, totalGrossWt %s, passportNo %q\n\n",
		r.SAS121.MessageType, s.EtpsPreentNo, s.RltTbTypecd, s.RltNo, s.VehicleNo, s.TotalWt, s.TotalGrossWt, s.PassportNo)
	t := newTable("RECEIPT", "MESSAGE_ID", "PASS", "CUSTOMS NO", "STATUS", "CHANGED")
	for _, rc := range r.Receipts {
		t.add(rc.GetMessageType(), rc.GetMessageId(), rc.GetPassNo(), rc.GetCustomsNo(), strings.TrimPrefix(rc.GetStatus().String(), "PASS_STATUS_"), fmt.Sprint(rc.GetChanged()))
	}
	fmt.Fprintf(w, "  Customs' receipts imported by ImportPassReceipts (SAS251 sent twice):\n\n")
	t.render(w, "    ")
	fmt.Fprintf(w, "\n  GetPass %s (after SAS221) finds pass %s, %s.\n", r.PassByCustomsNo.GetCustomsNo(), r.PassByCustomsNo.GetPassNo(),
		strings.TrimPrefix(r.PassByCustomsNo.GetStatus().String(), "PASS_STATUS_"))
	st := newTable("LINE", "NAME", "UNIT", "BONDED BEFORE THE GATE", "BONDED AFTER").alignRight(0, 3, 4)
	for i, ln := range r.After {
		before := "-"
		if i < len(r.Before) {
			before = r.Before[i].GetBonded()
		}
		st.add(fmt.Sprint(ln.GetBookSeq()), ln.GetName(), ln.GetUnit(), before, ln.GetBonded())
	}
	fmt.Fprintf(w, "\n  Stock (GetStockReport) of %s; the list is now %s:\n\n", r.Book, strings.TrimPrefix(r.ListAfter.GetStatus().String(), "LIST_STATUS_"))
	st.render(w, "    ")
	fmt.Fprintln(w)
}
