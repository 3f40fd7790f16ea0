package main

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// The rpcCmd features the commands of lists, passes and forms need: an
// argument given once or more (one call each), an optional argument, a
// time flag and -q.

func TestRPCCmdRepeatedAndOptionalArguments(t *testing.T) {
	a := newApp(io.Discard, io.Discard)
	c := rpcCmd(a, rpcSpec{use: "declare", method: customsv1.DeclarationService_DeclareList_FullMethodName, bind: "LIST...=list_no"}, listView)
	if c.Use != "declare LIST..." {
		t.Errorf("use %q", c.Use)
	}
	if c.Args(c, nil) == nil || c.Args(c, []string{"QD1", "QD2", "QD3"}) != nil {
		t.Errorf("LIST... must take one or more arguments")
	}
	c = rpcCmd(a, rpcSpec{use: "trips", method: customsv1.DeclarationService_ListPendingTrips_FullMethodName, bind: "[BOOK]=book_no"}, tripView)
	if c.Use != "trips [BOOK]" {
		t.Errorf("use %q", c.Use)
	}
	if c.Args(c, nil) != nil || c.Args(c, []string{"H1"}) != nil || c.Args(c, []string{"H1", "H2"}) == nil {
		t.Errorf("[BOOK] must take zero or one argument")
	}
}

func TestRPCCmdTimestampIsOneRFC3339Flag(t *testing.T) {
	c := newApp(io.Discard, io.Discard).passEventCmd()
	at := c.Flags().Lookup("at")
	if at == nil || at.Value.Type() != "time" || c.Flags().Lookup("seconds") != nil || c.Flags().Lookup("nanos") != nil {
		t.Fatalf("--at is not one time flag: %v", at)
	}
	if err := at.Value.Set("yesterday"); err == nil || !strings.Contains(err.Error(), "RFC 3339") {
		t.Errorf("--at yesterday: %v", err)
	}
}

func TestPassDeleteChecksEveryNumberBeforeSendingAny(t *testing.T) {
	h := newHarness(t)
	h.nodial = true
	h.run("customs", "pass", "delete", "HF1", strings.Repeat("9", 65))
	h.expect(exitUsage)
	if want := "error: PASS: \"" + strings.Repeat("9", 65) + "\": must be at most 64 characters\n"; !strings.HasPrefix(h.stderr.String(), want) {
		t.Errorf("stderr %q, want %q", h.stderr.String(), want)
	}

	h = newHarness(t)
	var sent []string
	h.calls[customsv1.GateService_DeletePass_FullMethodName] = func(r *customsv1.DeletePassRequest) (*customsv1.DeletePassResponse, error) {
		sent = append(sent, r.GetPassNo())
		return &customsv1.DeletePassResponse{Pass: &customsv1.Pass{PassNo: r.GetPassNo(), Status: customsv1.PassStatus_PASS_STATUS_DELETED}}, nil
	}
	h.run("customs", "pass", "delete", "HF1", "HF2", "-o", "json")
	h.expect(exitOK)
	var arr []map[string]any
	if err := json.Unmarshal(h.stdout.Bytes(), &arr); err != nil || len(arr) != 2 || strings.Join(sent, ",") != "HF1,HF2" {
		t.Errorf("sent %v, stdout %s (%v)", sent, h.stdout.String(), err)
	}
}

func TestTripsBookIsOptionalAndTheDateChecked(t *testing.T) {
	h := newHarness(t)
	var books []string
	h.calls[customsv1.DeclarationService_ListPendingTrips_FullMethodName] = func(r *customsv1.ListPendingTripsRequest) (*customsv1.ListPendingTripsResponse, error) {
		books = append(books, r.GetBookNo()+"@"+r.GetAsOf())
		return &customsv1.ListPendingTripsResponse{Trips: []*customsv1.PendingTrip{{Slip: &customsv1.Slip{SlipNo: "CRK1"}, DaysLeft: -2}}}, nil
	}
	h.run("customs", "trips", "-o", "csv")
	h.expect(exitOK)
	h.run("customs", "trips", "H1", "--as-of", "2026-03-28")
	h.expect(exitOK)
	if strings.Join(books, ",") != "@,H1@2026-03-28" || !strings.Contains(h.stdout.String(), "CRK1") {
		t.Errorf("requests %v, stdout %q", books, h.stdout.String())
	}
	expectUsage(t, [][]string{{"customs", "trips", "H1", "--as-of", "tomorrow"}, {"customs", "trips", "H1", "H2"}})
}

func TestFormCreateQuietAndTheProtoRules(t *testing.T) {
	h := newHarness(t)
	h.calls[customsv1.DeclarationService_CreateForm_FullMethodName] = func(r *customsv1.CreateFormRequest) (*customsv1.CreateFormResponse, error) {
		if r.GetInnerNo() != "FA-1" || r.GetBookNo() != "H1" || r.GetFormType() != "A" || r.GetValidFrom() != "2026-03-01" ||
			r.GetValidUntil() != "2026-03-31" || r.GetGuarantee() != "50000.00" {
			t.Errorf("request %v", r)
		}
		return &customsv1.CreateFormResponse{Form: &customsv1.Form{FormNo: "SQA1", InnerNo: r.GetInnerNo()}}, nil
	}
	args := []string{"customs", "form", "create", "--inner-no", "FA-1", "--book", "H1", "--type", "A", "--from", "2026-03-01", "--until", "2026-03-31", "--guarantee", "50000.00"}
	h.run(append(args, "-q")...)
	h.expect(exitOK)
	if h.stdout.String() != "SQA1\n" {
		t.Errorf("-q printed %q", h.stdout.String())
	}
	h.run(args...)
	h.expect(exitOK)
	if !strings.HasPrefix(h.stdout.String(), "FORM_NO ") || !strings.Contains(h.stdout.String(), "SQA1") {
		t.Errorf("table %q", h.stdout.String())
	}
	expectUsage(t, [][]string{
		{"customs", "form", "create", "--inner-no", "FA-1", "--book", "H1", "--type", "A", "--from", "2026-04-01", "--until", "2026-03-31"},
		{"customs", "form", "create", "--inner-no", "FA-1", "--book", "H1", "--type", "A", "--from", "2026-03-01", "--until", "2026-03-31", "--guarantee", "1e3"},
		{"customs", "form", "create", "--inner-no", "FA-1", "--book", "H1", "--type", "A", "--from", "2026-03-01"}, // --until required
	})
}

func TestPassEventRefusesBadValuesBeforeSendingNamingTheFlag(t *testing.T) {
	for _, c := range []struct{ flag, value, want string }{
		{"--gate", "3", "error: --gate: "},
		{"--scale-gross", "13,600", "error: --scale-gross: "},
	} {
		h := newHarness(t)
		h.nodial = true
		args := map[string]string{"--event-id": "G-1", "--vehicle": "沪A12345", "--scale-gross": "13600", c.flag: c.value}
		line := []string{"customs", "pass", "event", "HF1"}
		for k, v := range args {
			line = append(line, k, v)
		}
		h.run(line...)
		h.expect(exitUsage)
		if !strings.HasPrefix(h.stderr.String(), c.want) {
			t.Errorf("%s %s: stderr %q, want it to start %q", c.flag, c.value, h.stderr.String(), c.want)
		}
	}
}

// Approving several lists sends the note with each, in order, and stops at
// the first refusal, which names the list.
func TestListApproveManyKeepsTheNoteOnEach(t *testing.T) {
	h := newHarness(t)
	var notes []string
	h.calls[customsv1.DeclarationService_ApproveList_FullMethodName] = func(r *customsv1.ApproveListRequest) (*customsv1.ApproveListResponse, error) {
		notes = append(notes, r.GetListNo()+":"+r.GetNote())
		if r.GetListNo() == "QD2" {
			return nil, refusal(codes.FailedPrecondition, "LIST_STATUS", "list_no", "list QD2 is a draft")
		}
		return &customsv1.ApproveListResponse{List: &customsv1.List{ListNo: r.GetListNo()}}, nil
	}
	h.run("customs", "list", "approve", "QD1", "QD2", "QD3", "--note", "ok")
	h.expect(exitRefused)
	if strings.Join(notes, ",") != "QD1:ok,QD2:ok" || !strings.Contains(h.stderr.String(), "error: QD2: list QD2 is a draft") {
		t.Errorf("sent %v, stderr %q", notes, h.stderr.String())
	}
}

// A message command writes the answer's message (rpcSpec.write): to
// standard output, or under the server's name into --out DIR; its number is
// checked before anything is sent.
func TestPassMessageWritesTheAnswer(t *testing.T) {
	h := newHarness(t)
	var formats []string
	h.calls[customsv1.GateService_ExportPassMessage_FullMethodName] = func(r *customsv1.ExportPassMessageRequest) (*customsv1.ExportPassMessageResponse, error) {
		formats = append(formats, r.GetFormat().String())
		return &customsv1.ExportPassMessageResponse{Message: []byte(`{"head":{}}` + "\n"), FileName: r.GetPassNo() + ".SAS121.json"}, nil
	}
	dir := t.TempDir()
	h.run("customs", "pass", "message", "HF1", "--format", "JSON", "--out", dir)
	h.expect(exitOK)
	if b, err := os.ReadFile(filepath.Join(dir, "HF1.SAS121.json")); err != nil || string(b) != `{"head":{}}`+"\n" || h.stdout.Len() != 0 {
		t.Errorf("written %q (%v), stdout %q", b, err, h.stdout.String())
	}
	h.run("customs", "pass", "message", "HF1")
	h.expect(exitOK)
	if h.stdout.String() != `{"head":{}}`+"\n" || strings.Join(formats, ",") != "PASS_MESSAGE_FORMAT_JSON,PASS_MESSAGE_FORMAT_UNSPECIFIED" {
		t.Errorf("stdout %q, formats %v", h.stdout.String(), formats)
	}
	expectUsage(t, [][]string{{"customs", "pass", "message", strings.Repeat("9", 65)}})
}

// An enum flag takes the value's short name or its full name (as -o json
// prints it), in any case, as the README says; never the unspecified value.
func TestListLsStatusTakesTheShortOrTheFullName(t *testing.T) {
	h := newHarness(t)
	var got []string
	h.calls[customsv1.DeclarationService_ListLists_FullMethodName] = func(r *customsv1.ListListsRequest) (*customsv1.ListListsResponse, error) {
		got = append(got, r.GetStatus().String())
		return &customsv1.ListListsResponse{}, nil
	}
	for _, s := range []string{"declared", "LIST_STATUS_DECLARED", "list_status_declared"} {
		h.run("customs", "list", "ls", "--status", s)
		h.expect(exitOK)
	}
	if strings.Join(got, ",") != "LIST_STATUS_DECLARED,LIST_STATUS_DECLARED,LIST_STATUS_DECLARED" {
		t.Errorf("sent %v", got)
	}
	expectUsage(t, [][]string{{"customs", "list", "ls", "--status", "LIST_STATUS_UNSPECIFIED"}, {"customs", "pass", "ls", "--status", "lost"}})
}
