package demo

import (
	"fmt"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
	errorsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/errors/v1"
)

// machineScene: a domestic customer's machining centre comes in from the
// domestic area (二线, 5000) for repair; a domestic spindle bearing bought
// outside the zone replaces the worn one. The machine goes back to its
// customer on a second-line list and pass (untaxed: it came from there);
// the old bearing leaves by gate registration (卡口登记), which must be a
// registration of the book naming the order — a bare number is refused.
func (r *repairRun) machineScene() {
	const scene = "domestic machine"
	s := &RepairScene{Title: "a domestic customer's machine repaired and returned"}
	who := r.who()
	machine := repairListLine(repairLineMachine, "1", "420000.00", "4200", "3900")
	no := r.open(2, "5000", "CHN", "WXLJ-2", repairListLine(repairLineNewBearing, "2", "9600.00", "10", "9"), machine,
		&customsv1.OpenRepairOrderRequest{InnerNo: "WXD-MAC-1"})
	r.work(no, 3, [3]string{"test", "bearing", "old-bearing"}, "主轴径向跳动超差，主轴轴承损坏 (spindle run-out out of tolerance; spindle bearing damaged)",
		&customsv1.RepairPartUse{BookSeq: repairLineNewBearing, Quantity: "1", Origin: customsv1.RepairOrigin_REPAIR_ORIGIN_DOMESTIC},
		&customsv1.RepairRemoved{BookSeq: repairLineOldBearing, Quantity: "1", Value: "800.00"}, "1", "0")

	// Back to the customer on a second-line list and pass.
	home := r.ship(no, "return", "5000", "CHN", r.day(5), customsv1.RepairSection_REPAIR_SECTION_REPAIRED,
		customsv1.RepairExitWay_REPAIR_EXIT_WAY_RETURN_DOMESTIC, machine)
	out := r.leave(home.GetListNo(), r.day(5))
	if r.p.err != nil {
		return
	}
	ln := out.GetLines()[0]
	s.Notes = append(s.Notes, boundLine("list", out.GetListNo(), ln.GetSeq(), ln.GetSource(), ln.GetSourceDocumentType(), ln.GetSourceDocumentNo())+
		fmt.Sprintf(" (%s, trade mode %s, %s)", out.GetFlow(), out.GetTradeMode(), out.GetStatus()))

	// The old bearing by gate registration: a bare number is refused.
	r.refused(scene, "old bearing out by gate registration on a bare number", errorsv1.Reason_UNKNOWN_PASS.String(),
		r.exitReq(no, "bearing-out-0", r.day(5), customsv1.RepairSection_REPAIR_SECTION_OLD_PARTS, repairLineOldBearing, "1",
			customsv1.RepairExitWay_REPAIR_EXIT_WAY_GATE_REGISTRATION, "KKDJ-0001"))
	plate := "琼A·W9001"
	reg := do(r.p, who, r.lc.c.gate.CreatePass, &customsv1.CreatePassRequest{InnerNo: r.lc.next("WXKK"), BookNo: repairBook, PassType: "5", Io: "E",
		Vehicle: plate, VehicleWeight: "3000", GrossWeight: "5", NetWeight: "4.5",
		Lines: []*customsv1.PassLine{{BookSeq: repairLineOldBearing, Description: "维修更换的旧主轴轴承，退还区外客户", Quantity: "1"}}}).GetPass()
	r.exit(no, "bearing-out", r.day(5), customsv1.RepairSection_REPAIR_SECTION_OLD_PARTS, repairLineOldBearing, "1",
		customsv1.RepairExitWay_REPAIR_EXIT_WAY_GATE_REGISTRATION, reg.GetPassNo())
	r.gate(reg, plate, d("5"), r.day(5))
	reg = do(r.p, "customs-4601", r.lc.c.gate.GetPass, &customsv1.GetPassRequest{PassNo: reg.GetPassNo()}).GetPass()
	if r.p.err != nil {
		return
	}
	pl := reg.GetLines()[0]
	s.Notes = append(s.Notes, boundLine("gate registration", reg.GetPassNo(), 1, pl.GetSource(), pl.GetSourceDocumentType(), pl.GetSourceDocumentNo())+
		fmt.Sprintf(" (type %s, %s, journal %d)", reg.GetPassType(), reg.GetStatus(), reg.GetJournalId()))
	r.finish(s, no)
}
