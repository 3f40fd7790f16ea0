package tests

// ProcessingService over gRPC, as an enterprise and customs use it: the
// HX unit consumption, refusals with their code, reason and field, and a
// production report consuming to the book line's scale.

import (
	"testing"

	"google.golang.org/grpc/codes"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// TestProcessingOverTheWire: a version of the notebook line consuming PE
// (净耗 0.95 kg at 5 % loss → 单耗 1 kg), refusals on the wire, and a
// report of 3 notebooks consuming 3 kg of PE with 0.15 kg of process loss;
// the version is then locked.
func TestProcessingOverTheWire(t *testing.T) {
	z := newZoneEnv(t)
	e := z.enterprise(t, "Processing One")
	book := z.hBook(t, e)
	z.stockIn(t, e, book, linePE, "100", "1600")
	pc := customsv1.NewProcessingServiceClient(z.s.Conn())
	put := func(loss string) (*customsv1.PutVersionResponse, error) {
		return pc.PutVersion(ctxAs(t, e.tok), &customsv1.PutVersionRequest{BookNo: book, FinishedSeq: lineNotebook, Version: "1", EffectiveDate: day(-10),
			Norms: []*customsv1.Norm{{MaterialSeq: linePE, Net: "0.95", LossPercent: loss}}})
	}
	_, err := put("100")
	wantRefused(t, err, codes.InvalidArgument, "LOSS_RATE_OUT_OF_RANGE", "norms[0].loss_percent", "a loss rate of 100 %")
	_, err = put("5.x")
	wantRefused(t, err, codes.InvalidArgument, "-", "norms[0].loss_percent", "a malformed loss rate")
	v, err := put("5")
	if err != nil {
		t.Fatalf("PutVersion: %v", err)
	}
	if n := v.GetVersion().GetNorms()[0]; n.GetUnitConsumption() != "1" || !n.GetUnitConsumptionExact() || n.GetBondedPercent() != "100" {
		t.Fatalf("norm on the wire: %v", n)
	}
	_, err = pc.PutVersion(ctxAs(t, z.customs), &customsv1.PutVersionRequest{BookNo: book, FinishedSeq: lineNotebook, Version: "2", EffectiveDate: day(0),
		Norms: []*customsv1.Norm{{MaterialSeq: linePE, Net: "1"}}})
	wantRefused(t, err, codes.PermissionDenied, "PERMISSION_DENIED", "-", "customs filing a version")

	_, err = pc.FileProductionReport(ctxAs(t, e.tok), &customsv1.FileProductionReportRequest{InnerNo: "W-0", BookNo: book,
		Outputs: []*customsv1.ProductionOutput{{BookSeq: lineNotebook, Quantity: "101"}}})
	wantRefused(t, err, codes.FailedPrecondition, "INSUFFICIENT_BONDED_STOCK", "outputs[0].quantity", "more PE than there is")
	z.wantStock(t, book, linePE, st{bonded: "100"})
	r, err := pc.FileProductionReport(ctxAs(t, e.tok), &customsv1.FileProductionReportRequest{InnerNo: "W-1", BookNo: book,
		Outputs: []*customsv1.ProductionOutput{{BookSeq: lineNotebook, Quantity: "3", Value: "9000"}}})
	if err != nil {
		t.Fatalf("FileProductionReport: %v", err)
	}
	c := r.GetReport().GetConsumed()
	if len(c) != 1 || c[0].GetBonded() != "3" || c[0].GetLoss() != "0.15" || r.GetReport().GetOutputs()[0].GetVersion() != "1" ||
		r.GetReport().GetOutputs()[0].GetCategory() != customsv1.ProductionCategory_PRODUCTION_CATEGORY_FINISHED {
		t.Fatalf("report on the wire: %v", r.GetReport())
	}
	z.wantStock(t, book, linePE, st{bonded: "97"})
	z.wantStock(t, book, lineNotebook, st{bonded: "3"})
	_, err = put("6")
	wantRefused(t, err, codes.FailedPrecondition, "VERSION_LOCKED", "version", "changing a used version")
	got, err := pc.GetVersion(ctxAs(t, z.customs), &customsv1.GetVersionRequest{BookNo: book, FinishedSeq: lineNotebook})
	if err != nil || got.GetVersion().GetUsedBy() != r.GetReport().GetReportNo() {
		t.Fatalf("customs reads the version in force: %v, %v", got, err)
	}
}
