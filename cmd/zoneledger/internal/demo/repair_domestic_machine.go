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
func (r *repairRun) machineScene() error {
	const scene = "domestic machine"
	s := &RepairScene{Title: "a domestic customer's machine repaired and returned"}
	k, who := r.lc.caller(), r.who()
	bearings, err := r.enter("5000", "CHN", r.day(2), repairListLine(repairLineNewBearing, "2", "9600.00", "10", "9"))
	if err != nil {
		return err
	}
	if _, err := call(k, who, r.rc.ReceiveRepairParts, &customsv1.ReceiveRepairPartsRequest{InnerNo: "WXLJ-2", BookNo: repairBook, ListNo: bearings.GetListNo(),
		BookSeq: repairLineNewBearing, Quantity: "2", Date: r.date(r.day(2))}); err != nil {
		return fmt.Errorf("ReceiveRepairParts: %w", err)
	}
	in, err := r.enter("5000", "CHN", r.day(2), repairListLine(repairLineMachine, "1", "420000.00", "4200", "3900"))
	if err != nil {
		return err
	}
	o, err := orderOf(call(k, who, r.rc.OpenRepairOrder, &customsv1.OpenRepairOrderRequest{InnerNo: "WXD-MAC-1", BookNo: repairBook, ListNo: in.GetListNo(),
		BookSeq: repairLineMachine, Quantity: "1", Date: r.date(r.day(2))}))
	if err != nil {
		return fmt.Errorf("OpenRepairOrder: %w", err)
	}
	no := o.GetOrderNo()
	if _, err := call(k, who, r.rc.RecordRepairTest, &customsv1.RecordRepairTestRequest{Step: r.step(no, "test", r.day(3)),
		Findings: "主轴径向跳动超差，主轴轴承损坏 (spindle run-out out of tolerance; spindle bearing damaged)"}); err != nil {
		return fmt.Errorf("RecordRepairTest: %w", err)
	}
	if _, err := call(k, who, r.rc.ConsumeRepairParts, &customsv1.ConsumeRepairPartsRequest{Step: r.step(no, "bearing", r.day(3)),
		Uses: []*customsv1.RepairPartUse{{BookSeq: repairLineNewBearing, Quantity: "1", Origin: customsv1.RepairOrigin_REPAIR_ORIGIN_DOMESTIC}}}); err != nil {
		return fmt.Errorf("ConsumeRepairParts: %w", err)
	}
	if _, err := call(k, who, r.rc.RemoveRepairParts, &customsv1.RemoveRepairPartsRequest{Step: r.step(no, "old-bearing", r.day(3)),
		Removed: []*customsv1.RepairRemoved{{BookSeq: repairLineOldBearing, Quantity: "1", Value: "800.00"}}}); err != nil {
		return fmt.Errorf("RemoveRepairParts: %w", err)
	}
	if _, err := call(k, who, r.rc.FinishRepair, &customsv1.FinishRepairRequest{Step: r.step(no, "done", r.day(4)), Repaired: "1", Unrepairable: "0"}); err != nil {
		return fmt.Errorf("FinishRepair: %w", err)
	}

	// Back to the customer on a second-line list and pass.
	home, err := r.ship(no, "return", "5000", "CHN", r.day(5), customsv1.RepairSection_REPAIR_SECTION_REPAIRED,
		customsv1.RepairExitWay_REPAIR_EXIT_WAY_RETURN_DOMESTIC, repairListLine(repairLineMachine, "1", "420000.00", "4200", "3900"))
	if err != nil {
		return err
	}
	out, err := r.leave(home.GetListNo(), r.day(5))
	if err != nil {
		return err
	}
	ln := out.GetLines()[0]
	s.Notes = append(s.Notes, boundLine("list", out.GetListNo(), ln.GetSeq(), ln.GetSource(), ln.GetSourceDocumentType(), ln.GetSourceDocumentNo())+
		fmt.Sprintf(" (%s, trade mode %s, %s)", out.GetFlow(), out.GetTradeMode(), out.GetStatus()))

	// The old bearing by gate registration: a bare number is refused.
	_, err = r.exit(no, "bearing-out-0", r.day(5), customsv1.RepairSection_REPAIR_SECTION_OLD_PARTS, repairLineOldBearing, "1",
		customsv1.RepairExitWay_REPAIR_EXIT_WAY_GATE_REGISTRATION, "KKDJ-0001")
	if err := r.refused(scene, "old bearing out by gate registration on a bare number", errorsv1.Reason_UNKNOWN_PASS.String(), err); err != nil {
		return err
	}
	plate := "琼A·W9001"
	reg, err := passOf(call(k, who, r.lc.c.gate.CreatePass, &customsv1.CreatePassRequest{InnerNo: r.lc.next("WXKK"), BookNo: repairBook, PassType: "5", Io: "E",
		Vehicle: plate, VehicleWeight: "3000", GrossWeight: "5", NetWeight: "4.5",
		Lines: []*customsv1.PassLine{{BookSeq: repairLineOldBearing, Description: "维修更换的旧主轴轴承，退还区外客户", Quantity: "1"}}}))
	if err != nil {
		return fmt.Errorf("CreatePass (卡口登记): %w", err)
	}
	if _, err := r.exit(no, "bearing-out", r.day(5), customsv1.RepairSection_REPAIR_SECTION_OLD_PARTS, repairLineOldBearing, "1",
		customsv1.RepairExitWay_REPAIR_EXIT_WAY_GATE_REGISTRATION, reg.GetPassNo()); err != nil {
		return fmt.Errorf("ExitRepairGoods on %s: %w", reg.GetPassNo(), err)
	}
	if err := r.gate(reg, plate, d("5"), r.day(5)); err != nil {
		return err
	}
	reg, err = passOf(call(k, "customs-4601", r.lc.c.gate.GetPass, &customsv1.GetPassRequest{PassNo: reg.GetPassNo()}))
	if err != nil {
		return fmt.Errorf("GetPass %s: %w", reg.GetPassNo(), err)
	}
	pl := reg.GetLines()[0]
	s.Notes = append(s.Notes, boundLine("gate registration", reg.GetPassNo(), 1, pl.GetSource(), pl.GetSourceDocumentType(), pl.GetSourceDocumentNo())+
		fmt.Sprintf(" (type %s, %s, journal %d)", reg.GetPassType(), reg.GetStatus(), reg.GetJournalId()))
	return r.finish(s, no)
}
