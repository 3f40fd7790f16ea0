package demo

import (
	"fmt"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
	errorsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/errors/v1"
)

// gearboxScene: four used automatic gearboxes come in from abroad as cores
// (胚料) for remanufacture; bonded clutch plates are consumed, dismantling
// leaves scrap. Three are remanufactured, one cannot be. Selling a
// remanufactured gearbox domestically is refused (the zone's setting
// repair.remanufactured_domestic_sale, default off); the three go back
// abroad with the unrepairable core on one list, the scrap under 0864 on
// another.
func (r *repairRun) gearboxScene() error {
	const scene = "gearbox"
	s := &RepairScene{Title: "gearboxes remanufactured (再制造)"}
	k, who := r.lc.caller(), r.who()
	plates, err := r.enter("1371", "JPN", r.day(5), repairListLine(repairLineClutch, "20", "16000.00", "9", "8"))
	if err != nil {
		return err
	}
	if _, err := call(k, who, r.rc.ReceiveRepairParts, &customsv1.ReceiveRepairPartsRequest{InnerNo: "WXLJ-3", BookNo: repairBook, ListNo: plates.GetListNo(),
		BookSeq: repairLineClutch, Quantity: "20", Date: r.date(r.day(5))}); err != nil {
		return fmt.Errorf("ReceiveRepairParts: %w", err)
	}
	cores, err := r.enter("1371", "JPN", r.day(5), repairListLine(repairLineGearbox, "4", "48000.00", "360", "340"))
	if err != nil {
		return err
	}
	o, err := orderOf(call(k, who, r.rc.OpenRepairOrder, &customsv1.OpenRepairOrderRequest{InnerNo: "WXD-GBX-1", BookNo: repairBook, ListNo: cores.GetListNo(),
		BookSeq: repairLineGearbox, Quantity: "4", Remanufacture: true, Date: r.date(r.day(5))}))
	if err != nil {
		return fmt.Errorf("OpenRepairOrder: %w", err)
	}
	no := o.GetOrderNo()
	if _, err := call(k, who, r.rc.RecordRepairTest, &customsv1.RecordRepairTestRequest{Step: r.step(no, "assess", r.day(6)),
		Findings: "3 台壳体完好可再制造，1 台壳体开裂无法再制造 (three housings sound; one cracked, not remanufacturable)"}); err != nil {
		return fmt.Errorf("RecordRepairTest: %w", err)
	}
	if _, err := call(k, who, r.rc.ConsumeRepairParts, &customsv1.ConsumeRepairPartsRequest{Step: r.step(no, "plates", r.day(6)),
		Uses: []*customsv1.RepairPartUse{{BookSeq: repairLineClutch, Quantity: "16", Origin: customsv1.RepairOrigin_REPAIR_ORIGIN_ABROAD}}}); err != nil {
		return fmt.Errorf("ConsumeRepairParts: %w", err)
	}
	if _, err := call(k, who, r.rc.RemoveRepairParts, &customsv1.RemoveRepairPartsRequest{Step: r.step(no, "scrap", r.day(6)),
		Removed: []*customsv1.RepairRemoved{{BookSeq: repairLineScrap, Quantity: "37.5", Scrap: true, Value: "112.50"}}}); err != nil {
		return fmt.Errorf("RemoveRepairParts: %w", err)
	}
	if _, err := call(k, who, r.rc.FinishRepair, &customsv1.FinishRepairRequest{Step: r.step(no, "done", r.day(7)), Repaired: "3", Unrepairable: "1"}); err != nil {
		return fmt.Errorf("FinishRepair: %w", err)
	}
	_, err = r.exit(no, "sell", r.day(7), customsv1.RepairSection_REPAIR_SECTION_REMANUFACTURED, repairLineGearbox, "1",
		customsv1.RepairExitWay_REPAIR_EXIT_WAY_DOMESTIC_SALE, "WXNX-0002")
	if err := r.refused(scene, "sell a remanufactured gearbox domestically", errorsv1.Reason_REMANUFACTURED_DOMESTIC_SALE.String(), err); err != nil {
		return err
	}

	// Three remanufactured and the unrepairable core back abroad on one
	// list, one line each; the scrap under 0864.
	back, err := r.draft("1371", "JPN", r.day(8), repairListLine(repairLineGearbox, "3", "126000.00", "270", "255"),
		repairListLine(repairLineGearbox, "1", "12000.00", "90", "85"))
	if err != nil {
		return err
	}
	for _, e := range []struct {
		key string
		sec customsv1.RepairSection
		qty string
	}{{"ship", customsv1.RepairSection_REPAIR_SECTION_REMANUFACTURED, "3"}, {"ship-core", customsv1.RepairSection_REPAIR_SECTION_UNREPAIRABLE, "1"}} {
		if _, err := r.exit(no, e.key, r.day(8), e.sec, repairLineGearbox, e.qty, customsv1.RepairExitWay_REPAIR_EXIT_WAY_RE_EXPORT, back.GetListNo()); err != nil {
			return fmt.Errorf("ExitRepairGoods %s on %s: %w", e.key, back.GetListNo(), err)
		}
	}
	out, err := r.leave(back.GetListNo(), r.day(8))
	if err != nil {
		return err
	}
	for _, ln := range out.GetLines() {
		s.Notes = append(s.Notes, boundLine("list", out.GetListNo(), ln.GetSeq(), ln.GetSource(), ln.GetSourceDocumentType(), ln.GetSourceDocumentNo()))
	}
	scrap, err := r.ship(no, "ship-scrap", "0864", "JPN", r.day(8), customsv1.RepairSection_REPAIR_SECTION_SCRAP,
		customsv1.RepairExitWay_REPAIR_EXIT_WAY_RE_EXPORT, repairListLine(repairLineScrap, "37.5", "112.50", "38", "37.5"))
	if err != nil {
		return err
	}
	if out, err = r.leave(scrap.GetListNo(), r.day(8)); err != nil {
		return err
	}
	s.Notes = append(s.Notes, fmt.Sprintf("the scrap left on list %s (0864): %s", out.GetListNo(), out.GetStatus()))
	return r.finish(s, no)
}
