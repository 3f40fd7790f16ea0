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
func (r *repairRun) gearboxScene() {
	const scene = "gearbox"
	s := &RepairScene{Title: "gearboxes remanufactured (再制造)"}
	no := r.open(5, "1371", "JPN", "WXLJ-3", repairListLine(repairLineClutch, "20", "16000.00", "9", "8"),
		repairListLine(repairLineGearbox, "4", "48000.00", "360", "340"), &customsv1.OpenRepairOrderRequest{InnerNo: "WXD-GBX-1", Remanufacture: true})
	r.work(no, 6, [3]string{"assess", "plates", "scrap"}, "3 台壳体完好可再制造，1 台壳体开裂无法再制造 (three housings sound; one cracked, not remanufacturable)",
		&customsv1.RepairPartUse{BookSeq: repairLineClutch, Quantity: "16", Origin: customsv1.RepairOrigin_REPAIR_ORIGIN_ABROAD},
		&customsv1.RepairRemoved{BookSeq: repairLineScrap, Quantity: "37.5", Scrap: true, Value: "112.50"}, "3", "1")
	r.refused(scene, "sell a remanufactured gearbox domestically", errorsv1.Reason_REMANUFACTURED_DOMESTIC_SALE.String(),
		r.exitReq(no, "sell", r.day(7), customsv1.RepairSection_REPAIR_SECTION_REMANUFACTURED, repairLineGearbox, "1",
			customsv1.RepairExitWay_REPAIR_EXIT_WAY_DOMESTIC_SALE, "WXNX-0002"))

	// Three remanufactured and the unrepairable core back abroad on one
	// list, one line each; the scrap under 0864.
	back := r.draft("1371", "JPN", r.day(8), repairListLine(repairLineGearbox, "3", "126000.00", "270", "255"),
		repairListLine(repairLineGearbox, "1", "12000.00", "90", "85"))
	for _, e := range []struct {
		key string
		sec customsv1.RepairSection
		qty string
	}{{"ship", customsv1.RepairSection_REPAIR_SECTION_REMANUFACTURED, "3"}, {"ship-core", customsv1.RepairSection_REPAIR_SECTION_UNREPAIRABLE, "1"}} {
		r.exit(no, e.key, r.day(8), e.sec, repairLineGearbox, e.qty, customsv1.RepairExitWay_REPAIR_EXIT_WAY_RE_EXPORT, back.GetListNo())
	}
	out := r.leave(back.GetListNo(), r.day(8))
	for _, ln := range out.GetLines() {
		s.Notes = append(s.Notes, boundLine("list", out.GetListNo(), ln.GetSeq(), ln.GetSource(), ln.GetSourceDocumentType(), ln.GetSourceDocumentNo()))
	}
	scrap := r.ship(no, "ship-scrap", "0864", "JPN", r.day(8), customsv1.RepairSection_REPAIR_SECTION_SCRAP,
		customsv1.RepairExitWay_REPAIR_EXIT_WAY_RE_EXPORT, repairListLine(repairLineScrap, "37.5", "112.50", "38", "37.5"))
	out = r.leave(scrap.GetListNo(), r.day(8))
	s.Notes = append(s.Notes, fmt.Sprintf("the scrap left on list %s (0864): %s", out.GetListNo(), out.GetStatus()))
	r.finish(s, no)
}
