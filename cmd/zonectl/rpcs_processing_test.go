package main

import (
	"reflect"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// answerRecording answers method with resp and keeps each request in *got.
func answerRecording(h *harness, method string, req, resp proto.Message, got *proto.Message) {
	ft := reflect.FuncOf([]reflect.Type{reflect.TypeOf(req)}, []reflect.Type{reflect.TypeOf(resp), reflect.TypeFor[error]()}, false)
	h.calls[method] = reflect.MakeFunc(ft, func(in []reflect.Value) []reflect.Value {
		*got = in[0].Interface().(proto.Message)
		return []reflect.Value{reflect.ValueOf(resp), reflect.Zero(ft.Out(1))}
	}).Interface()
}

// receiveSpec binds two flags to one field, each setting another field too.
var receiveSpec = rpcSpec{use: "receive", method: customsv1.ProcessingService_ReceiveEntrusted_FullMethodName, short: "Receive",
	bind: "entrustment=entrustment_no line=lines(book_seq:quantity!:value) gate-registration=reference+via=gate_registration list=reference+via=list"}

var testMoveView = cols[*customsv1.EntrustedMove]("move_no", "via", "reference", "len:lines")

// TestRPCCommandFlagSetsMoreFields: a binding's +path=value sets that
// field too when the flag is given, and the field is no flag of its own.
func TestRPCCommandFlagSetsMoreFields(t *testing.T) {
	for _, c := range []struct {
		args []string
		want *customsv1.ReceiveEntrustedRequest
	}{
		{[]string{"--list", "QD1"}, &customsv1.ReceiveEntrustedRequest{InnerNo: "R1", EntrustmentNo: "WT1", Reference: "QD1", Via: customsv1.EntrustedVia_ENTRUSTED_VIA_LIST}},
		{[]string{"--gate-registration", "HP1", "--line", "1:2"}, &customsv1.ReceiveEntrustedRequest{InnerNo: "R1", EntrustmentNo: "WT1", Reference: "HP1",
			Via: customsv1.EntrustedVia_ENTRUSTED_VIA_GATE_REGISTRATION, Lines: []*customsv1.EntrustedLine{{BookSeq: 1, Quantity: "2"}}}},
	} {
		h := newHarness(t)
		var got proto.Message
		answerRecording(h, receiveSpec.method, c.want, &customsv1.ReceiveEntrustedResponse{Move: &customsv1.EntrustedMove{MoveNo: "WR1"}}, &got)
		runSpec(h, receiveSpec, testMoveView, append([]string{"receive", "--entrustment", "WT1", "--inner", "R1", "-o", "csv"}, c.args...)...)
		h.expect(exitOK)
		if !proto.Equal(got, c.want) {
			t.Errorf("%s: request %v, want %v", c.args, got, c.want)
		}
	}
	h := newHarness(t)
	h.nodial = true
	if code := runSpec(h, receiveSpec, testMoveView, "receive", "--entrustment", "WT1", "--inner", "R1", "--list", "QD1", "--via", "list"); code != exitUsage ||
		!strings.Contains(h.stderr.String(), "unknown flag: --via") {
		t.Errorf("--via: exit %d, %s", code, h.stderr.String())
	}
}

// TestRPCCommandFlagsOfOneField: flags bound to one field exclude each
// other, and one of them is required when the field is; help and usage say
// so.
func TestRPCCommandFlagsOfOneField(t *testing.T) {
	for _, c := range []struct {
		args []string
		says string
	}{
		{[]string{"--entrustment", "WT1", "--inner", "R1"}, "at least one of the flags in the group [gate-registration list] is required"},
		{[]string{"--entrustment", "WT1", "--inner", "R1", "--list", "QD1", "--gate-registration", "HP1"}, "[gate-registration list] were all set"},
	} {
		h := newHarness(t)
		h.nodial = true
		if code := runSpec(h, receiveSpec, testMoveView, append([]string{"receive"}, c.args...)...); code != exitUsage || !strings.Contains(h.stderr.String(), c.says) {
			t.Errorf("%s: exit %d, want 2 with %q; stderr: %s", c.args, code, c.says, h.stderr.String())
		}
	}
	h := newHarness(t)
	runSpec(h, receiveSpec, testMoveView, "receive", "--help")
	h.expect(exitOK)
	for _, want := range []string{"receive --inner INNER --entrustment ENTRUSTMENT (--gate-registration GATE_REGISTRATION | --list LIST)",
		"it carries one move only (one of --gate-registration, --list required)\n"} {
		if !strings.Contains(h.stdout.String(), want) {
			t.Errorf("help lacks %q:\n%s", want, h.stdout.String())
		}
	}
}

// TestRPCCommandPartsMarkedRequired: the parts up to the last one marked !
// must be written; the rest may be left out.
func TestRPCCommandPartsMarkedRequired(t *testing.T) {
	spec := rpcSpec{use: "return", method: customsv1.ProcessingService_ReturnEntrusted_FullMethodName, short: "Return",
		bind: "entrustment=entrustment_no gate-registration=reference line=lines(book_seq:quantity:value!:lot)"}
	args := []string{"return", "--entrustment", "WT1", "--inner", "F1", "--gate-registration", "HP1"}
	h := newHarness(t)
	h.nodial = true
	if code := runSpec(h, spec, testMoveView, append(args, "--line", "4:30")...); code != exitUsage ||
		!strings.Contains(h.stderr.String(), `"4:30" for "--line" flag: write at least BOOK_SEQ:QUANTITY:VALUE`) {
		t.Errorf("--line 4:30: exit %d, %s", code, h.stderr.String())
	}
	h = newHarness(t)
	want := &customsv1.ReturnEntrustedRequest{InnerNo: "F1", EntrustmentNo: "WT1", Reference: "HP1",
		Lines: []*customsv1.EntrustedLine{{BookSeq: 4, Quantity: "30", Value: "600"}, {BookSeq: 5, Quantity: "1", Value: "9", Lot: "L5"}}}
	var got proto.Message
	answerRecording(h, spec.method, want, &customsv1.ReturnEntrustedResponse{Move: &customsv1.EntrustedMove{MoveNo: "WF1"}}, &got)
	runSpec(h, spec, testMoveView, append(args, "--line", "4:30:600", "--line", "5:1:9:L5")...)
	h.expect(exitOK)
	if !proto.Equal(got, want) {
		t.Errorf("request %v, want %v", got, want)
	}
}

// TestRPCCommandRefusalNamesTheFlag: a value the protos refuse is a usage
// error that names the flag as it is written, and a field the protos want
// of a fixed length is a required flag.
func TestRPCCommandRefusalNamesTheFlag(t *testing.T) {
	spec := rpcSpec{use: "file", method: customsv1.ProcessingService_FileEntrustment_FullMethodName, short: "File"}
	view := cols[*customsv1.Entrustment]("entrustment_no")
	args := []string{"file", "--book", "B1", "--inner", "W1", "--client-name", "苏州"}
	h := newHarness(t)
	h.nodial = true
	if code := runSpec(h, spec, view, append(args, "--client", "123")...); code != exitUsage || !strings.HasPrefix(h.stderr.String(), "error: --client: ") {
		t.Errorf("--client 123: exit %d, %s", code, h.stderr.String())
	}
	if code := runSpec(h, spec, view, args...); code != exitUsage || !strings.Contains(h.stderr.String(), `required flag(s) "client" not set`) {
		t.Errorf("no --client: exit %d, %s", code, h.stderr.String())
	}
}
