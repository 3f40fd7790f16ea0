package zoneledger_test

import (
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"

	"github.com/zoneledger/zoneledger/proto/zoneledger"
	_ "github.com/zoneledger/zoneledger/proto/zoneledger/admin/v1"
	_ "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
	_ "github.com/zoneledger/zoneledger/proto/zoneledger/errors/v1"
	_ "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

func TestCommentsOfEveryKindOfElement(t *testing.T) {
	for name, want := range map[string]string{
		"zoneledger.customs.v1.OpenRepairOrderRequest.book_seq": "Book line.",
		"zoneledger.customs.v1.RepairService":                   "RepairService",
		"zoneledger.customs.v1.RepairService.OpenRepairOrder":   "",
		"zoneledger.customs.v1.OpenRepairOrderResponse":         "OpenRepairOrderResponse is the order.",
	} {
		got := zoneledger.Comment(protoreflect.FullName(name))
		if want == "" && got == "" || !strings.HasPrefix(got, want) {
			t.Errorf("Comment(%s) = %q, want it to start with %q", name, got, want)
		}
	}
}

// TestTheImageIsTheGeneratedCode fails when a .proto file changed and
// descriptors.binpb was not rebuilt with it (proto/gen.sh).
func TestTheImageIsTheGeneratedCode(t *testing.T) {
	var set descriptorpb.FileDescriptorSet
	if err := proto.Unmarshal(zoneledger.Image(), &set); err != nil {
		t.Fatal(err)
	}
	if len(set.GetFile()) == 0 {
		t.Fatal("the image holds no file")
	}
	for _, f := range set.GetFile() {
		d, err := protoregistry.GlobalFiles.FindFileByPath(f.GetName())
		if err != nil {
			t.Errorf("%s is in the image but not in the generated code: %v", f.GetName(), err)
			continue
		}
		f = proto.Clone(f).(*descriptorpb.FileDescriptorProto)
		f.SourceCodeInfo = nil
		f.ProtoReflect().SetUnknown(nil) // buf's own facts of the file (ImageFile, field 8042)
		gen := protodesc.ToFileDescriptorProto(d)
		gen.Options = nil // buf's managed mode sets the file options when it generates code
		if !proto.Equal(f, gen) {
			t.Errorf("%s in descriptors.binpb differs from the generated code: run proto/gen.sh", f.GetName())
		}
	}
}
