package demo

import (
	"cmp"
	"fmt"
	"strings"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
	errorsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/errors/v1"
)

// engineScene: a foreign airline's engine fuel control unit comes in from
// abroad (1371 保税维修) for repair. Testing finds its gear pump worn;
// bonded seals are consumed, the old pump is taken out into 旧件. Selling
// the old pump domestically is refused (公告2023年第105号: old parts of
// foreign goods leave only by re-export or destruction). The repaired unit
// is bound to a re-export list; customs returns that list (退单), the order
// holds the unit again (the return is dated today, the server's day) and
// sends it today on a new list; the old pump is
// re-exported under 0864 on a list of its own.
func (r *repairRun) engineScene() {
	const scene = "engine part"
	s := &RepairScene{Title: "aircraft-engine part repaired for a foreign airline"}
	unit := repairListLine(repairLineFuelControl, "1", "850000.00", "25", "18.5")
	no := r.open(1, "1371", "SGP", "WXLJ-1", repairListLine(repairLineSeals, "10", "36000.00", "3", "2"), unit,
		&customsv1.OpenRepairOrderRequest{InnerNo: "WXD-ENG-1"})
	r.work(no, 2, [3]string{"test", "seals", "old-pump"}, "燃油计量活门磨损超限，齿轮泵组件需更换 (fuel metering valve worn beyond limits; gear pump to be replaced)",
		&customsv1.RepairPartUse{BookSeq: repairLineSeals, Quantity: "4", Origin: customsv1.RepairOrigin_REPAIR_ORIGIN_ABROAD},
		&customsv1.RepairRemoved{BookSeq: repairLineOldPump, Quantity: "1", Value: "12000.00"}, "1", "0")

	// The old pump may not be sold in the domestic area.
	r.refused(scene, "sell the old gear pump domestically (DOMESTIC_SALE)", errorsv1.Reason_REPAIR_PARTS_RE_EXPORT_ONLY.String(),
		r.exitReq(no, "sell-pump", r.day(3), customsv1.RepairSection_REPAIR_SECTION_OLD_PARTS, repairLineOldPump, "1",
			customsv1.RepairExitWay_REPAIR_EXIT_WAY_DOMESTIC_SALE, "WXNX-0001"))

	// The repaired unit on a re-export list, which customs returns.
	repaired, reExport := customsv1.RepairSection_REPAIR_SECTION_REPAIRED, customsv1.RepairExitWay_REPAIR_EXIT_WAY_RE_EXPORT
	first := r.ship(no, "ship-1", "1371", "SGP", r.day(3), repaired, reExport, unit)
	do(r.p, r.who(), r.lc.c.decl.DeclareList, &customsv1.DeclareListRequest{ListNo: first.GetListNo()})
	bound := r.getList(first.GetListNo())
	ln := bound.GetLines()
	if r.p.err != nil || len(ln) == 0 {
		r.p.fail("list %s has no lines", first.GetListNo())
		return
	}
	s.Notes = append(s.Notes, boundLine("list", bound.GetListNo(), ln[0].GetSeq(), ln[0].GetSource(), ln[0].GetSourceDocumentType(), ln[0].GetSourceDocumentNo()))
	ret := do(r.p, "customs-4601", r.lc.c.decl.ReturnList, &customsv1.ReturnListRequest{ListNo: first.GetListNo(), Note: "收货人与原进境发货人不符，请更正后重新申报"}).GetList()
	back := do(r.p, r.who(), r.rc.GetRepairOrder, &customsv1.GetRepairOrderRequest{OrderNo: no}).GetOrder()
	s.Notes = append(s.Notes, fmt.Sprintf("customs returned list %s (%s, %q); the order is %s again, holding %s", ret.GetListNo(), ret.GetStatus(), ret.GetNote(),
		back.GetStatus(), heldText(back)))
	if back.GetStatus() != "OPEN" {
		r.p.fail("order %s is %s after its list was returned; the demo expects it OPEN", no, back.GetStatus())
	}
	// The return put the unit back today: it leaves today.
	second := r.ship(no, "ship-2", "1371", "SGP", today, repaired, reExport, unit)
	r.leave(second.GetListNo(), today)

	// The old pump re-exported under 0864.
	pump := r.ship(no, "ship-pump", "0864", "SGP", r.day(4), customsv1.RepairSection_REPAIR_SECTION_OLD_PARTS, reExport,
		repairListLine(repairLineOldPump, "1", "12000.00", "4", "3.2"))
	out := r.leave(pump.GetListNo(), r.day(4))
	s.Notes = append(s.Notes, fmt.Sprintf("the unit left on list %s, the old pump on list %s (0864): both %s", second.GetListNo(), out.GetListNo(), out.GetStatus()))
	r.finish(s, no)
}

// heldText is what an order holds, as the server says.
func heldText(o *customsv1.RepairOrder) string {
	var out []string
	for _, h := range o.GetHeld() {
		if !d(h.GetQuantity()).IsZero() {
			out = append(out, fmt.Sprintf("line %d %s × %s", h.GetBookSeq(), h.GetSection().String()[len("REPAIR_SECTION_"):], h.GetQuantity()))
		}
	}
	return cmp.Or(strings.Join(out, ", "), "nothing")
}
