package tests

import (
	"bytes"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// TestHostileMessagesChangeNothingOnEveryMessageRPC sends every RPC that
// reads single-window messages the same hostile inputs: each is refused
// (INVALID_ARGUMENT with the RPC's stable reason, RESOURCE_EXHAUSTED for
// 100 MB), the zone's stock, lists and passes are as before, and the
// server answers a normal call afterwards.
func TestHostileMessagesChangeNothingOnEveryMessageRPC(t *testing.T) {
	e := newEcomEnv(t)
	const ns = `xmlns:ceb="http://www.chinaport.gov.cn/ceb"`
	hostile := []struct {
		name string
		msg  []byte
	}{
		{"billion laughs", []byte(`<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol9 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><Package>&lol9;</Package>`)},
		{"external entity", []byte(`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><Package>&xxe;</Package>`)},
		{"100,000-deep nesting", []byte(`<Package>` + strings.Repeat("<a>", 100000) + strings.Repeat("</a>", 100000) + `</Package>`)},
		{"non-UTF-8 encoding", []byte(`<?xml version="1.0" encoding="GBK"?><Package><EnvelopInfo></EnvelopInfo></Package>`)},
		{"empty message", []byte{}},
		{"CEB622 where another family belongs", []byte(`<ceb:CEB622Message ` + ns + ` guid="x" version="1.0"><ceb:InventoryReturn><ceb:guid>g</ceb:guid></ceb:InventoryReturn></ceb:CEB622Message>`)},
		{"INV201 where another family belongs", []byte(`<Package><EnvelopInfo><version>1.0</version><message_id>M</message_id><message_type>INV201</message_type><sender_id>S</sender_id><receiver_id>R</receiver_id></EnvelopInfo></Package>`)},
	}
	customs, platform, ent := ctxAs(t, e.customs), ctxAs(t, e.platform), ctxAs(t, e.wh.tok)
	// call sends one message to an RPC and returns the refusal: the call's
	// error, or for the RPCs that answer per message, that answer's.
	type refusal struct {
		code   codes.Code
		reason string
	}
	rpcs := []struct {
		name    string
		reasons []string // accepted stable reasons
		call    func(m []byte) (refusal, error)
	}{
		{"SubmitMessages", []string{"MESSAGE_MALFORMED", "INVALID_ARGUMENT"}, func(m []byte) (refusal, error) {
			r, err := e.ecom.SubmitMessages(platform, &customsv1.SubmitMessagesRequest{Messages: [][]byte{m}})
			if err != nil || len(r.GetResults()) != 1 || r.GetResults()[0].GetError() == nil {
				return refusal{}, err
			}
			x := r.GetResults()[0].GetError()
			return refusal{codeNamed(x.GetCode()), x.GetReason()}, nil
		}},
		{"ImportReceipts", []string{"ECOMMERCE_RECEIPT_MALFORMED", "INVALID_ARGUMENT"}, func(m []byte) (refusal, error) {
			r, err := e.ecom.ImportReceipts(customs, &customsv1.ImportReceiptsRequest{Messages: [][]byte{m}})
			if err != nil || len(r.GetResults()) != 1 || r.GetResults()[0].GetError() == nil {
				return refusal{}, err
			}
			x := r.GetResults()[0].GetError()
			return refusal{codeNamed(x.GetCode()), x.GetReason()}, nil
		}},
		{"FileListMessage", []string{"LIST_MESSAGE_INVALID", "INVALID_ARGUMENT"}, func(m []byte) (refusal, error) {
			_, err := e.decl.FileListMessage(ent, &customsv1.FileListMessageRequest{Message: m})
			return refusal{}, err
		}},
		{"ImportListReceipts", []string{"LIST_MESSAGE_INVALID", "INVALID_ARGUMENT"}, func(m []byte) (refusal, error) {
			_, err := e.decl.ImportListReceipts(customs, &customsv1.ImportListReceiptsRequest{Messages: [][]byte{m}})
			return refusal{}, err
		}},
		{"ImportPassReceipts", []string{"PASS_MESSAGE_INVALID", "PASS_RECEIPT_CODE", "INVALID_ARGUMENT"}, func(m []byte) (refusal, error) {
			_, err := e.gate.ImportPassReceipts(customs, &customsv1.ImportPassReceiptsRequest{Messages: [][]byte{m}})
			return refusal{}, err
		}},
	}
	state := func() string {
		t.Helper()
		e.wantStock(t, e.book, lineNotebook, st{bonded: "100"})
		ls, err := e.decl.ListLists(customs, &customsv1.ListListsRequest{BookNo: e.book})
		if err != nil {
			t.Fatal(err)
		}
		ps, err := e.gate.ListPasses(customs, &customsv1.ListPassesRequest{BookNo: e.book})
		if err != nil {
			t.Fatal(err)
		}
		return ls.String() + "|" + ps.String()
	}
	before := state()
	huge := bytes.Repeat([]byte("<a>xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx</a>"), (100<<20)/64)
	for _, rpc := range rpcs {
		for _, h := range hostile {
			if rpc.name == "ImportReceipts" && strings.HasPrefix(h.name, "CEB622") || rpc.name == "ImportListReceipts" && strings.HasPrefix(h.name, "INV201") {
				continue // its own family: not a wrong one here
			}
			t.Run(rpc.name+"/"+h.name, func(t *testing.T) {
				got, err := rpc.call(h.msg)
				if err != nil {
					st, _ := status.FromError(err)
					got = refusal{st.Code(), ""}
					if info := errorInfo(err); info != nil {
						got.reason = info.GetReason()
					}
				}
				if got.code != codes.InvalidArgument || !containsString(rpc.reasons, got.reason) {
					t.Fatalf("answered %v %q (%v), want INVALID_ARGUMENT with one of %v", got.code, got.reason, err, rpc.reasons)
				}
			})
		}
		t.Run(rpc.name+"/100 MB", func(t *testing.T) {
			if _, err := rpc.call(huge); status.Code(err) != codes.ResourceExhausted {
				t.Fatalf("100 MB: %v, want RESOURCE_EXHAUSTED", err)
			}
		})
	}
	if after := state(); after != before {
		t.Fatalf("hostile input changed the zone:\nbefore %s\nafter  %s", before, after)
	}
	if _, err := e.ecom.GetChannel(platform, &customsv1.GetChannelRequest{Enterprise: e.ebc.uscc}); err != nil {
		t.Fatalf("the server no longer answers: %v", err)
	}
}

func codeNamed(name string) codes.Code {
	for c := codes.OK; c <= codes.Unauthenticated; c++ {
		if strings.EqualFold(strings.ReplaceAll(c.String(), "_", ""), strings.ReplaceAll(name, "_", "")) {
			return c
		}
	}
	return codes.Unknown
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
