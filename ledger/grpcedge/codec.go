package grpcedge

import (
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"google.golang.org/grpc/encoding"
	"google.golang.org/grpc/mem"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/zoneledger/zoneledger/ledger"
)

// TextCodec is gRPC's protobuf codec, except that a request whose string
// field holds invalid UTF-8 is not refused by the decoder, which gRPC would
// answer INTERNAL ("failed to unmarshal"), as if the server had failed. It
// is decoded with the bad bytes replaced and marked (badUTF8), and the
// recovery interceptor, which every call passes after decoding, refuses it
// with INVALID_ARGUMENT naming the field, as the text check does for
// U+0000. The replaced text never reaches a handler.
//
// Install it with grpc.ForceServerCodecV2(NewTextCodec()) together with
// RecoveryInterceptors, which take the marks.
type TextCodec struct{ base encoding.CodecV2 }

// NewTextCodec returns the codec over gRPC's registered "proto" codec.
func NewTextCodec() TextCodec { return TextCodec{base: encoding.GetCodecV2("proto")} }

// Name implements encoding.CodecV2.
func (c TextCodec) Name() string { return c.base.Name() }

// Marshal implements encoding.CodecV2.
func (c TextCodec) Marshal(v any) (mem.BufferSlice, error) { return c.base.Marshal(v) }

// Unmarshal implements encoding.CodecV2.
func (c TextCodec) Unmarshal(data mem.BufferSlice, v any) error {
	err := c.base.Unmarshal(data, v)
	m, ok := v.(proto.Message)
	if err == nil || !ok || !strings.Contains(err.Error(), "invalid UTF-8") {
		return err
	}
	fixed, field, ok := fixUTF8(data.Materialize(), m.ProtoReflect().Descriptor(), "")
	if !ok || field == "" {
		return err
	}
	if uerr := proto.Unmarshal(fixed, m); uerr != nil {
		return err
	}
	badUTF8.Store(m, field)
	return nil
}

// badUTF8 marks decoded messages whose field (the value) held invalid
// UTF-8 on the wire, until takeBadUTF8 takes the mark.
var badUTF8 sync.Map

// takeBadUTF8 returns the INVALID_ARGUMENT error for a message TextCodec
// marked, and drops the mark; nil for any other message.
func takeBadUTF8(m any) error {
	f, ok := badUTF8.LoadAndDelete(m)
	if !ok {
		return nil
	}
	return Status(ledger.BadArgument(f.(string),
		"is not valid UTF-8 text: send it UTF-8 encoded"))
}

// fixUTF8 copies the wire form b of a message of md with every string
// field's invalid UTF-8 replaced by U+FFFD, and returns the path of the
// first such field ("lines[0].lot"; a map field by its name). ok is false
// when b cannot be parsed; the caller then keeps the decoder's error.
func fixUTF8(b []byte, md protoreflect.MessageDescriptor, prefix string) (out []byte, field string, ok bool) {
	seen := map[protowire.Number]int{}
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return nil, "", false
		}
		tag := b[:n]
		b = b[n:]
		fd := md.Fields().ByNumber(num)
		idx := seen[num]
		seen[num]++
		if typ != protowire.BytesType || fd == nil || (fd.Kind() != protoreflect.StringKind && fd.Kind() != protoreflect.MessageKind) {
			m := protowire.ConsumeFieldValue(num, typ, b)
			if m < 0 {
				return nil, "", false
			}
			out = append(append(out, tag...), b[:m]...)
			b = b[m:]
			continue
		}
		v, m := protowire.ConsumeBytes(b)
		if m < 0 {
			return nil, "", false
		}
		b = b[m:]
		path := prefix + fd.TextName()
		if fd.IsList() {
			path += fmt.Sprintf("[%d]", idx)
		}
		switch {
		case fd.Kind() == protoreflect.StringKind:
			if !utf8.Valid(v) {
				v = []byte(strings.ToValidUTF8(string(v), "\uFFFD"))
				if field == "" {
					field = path
				}
			}
		case fd.IsMap():
			sub, f, subOK := fixUTF8(v, fd.Message(), "")
			if !subOK {
				return nil, "", false
			}
			if v = sub; f != "" && field == "" {
				field = path
			}
		default:
			sub, f, subOK := fixUTF8(v, fd.Message(), path+".")
			if !subOK {
				return nil, "", false
			}
			if v = sub; f != "" && field == "" {
				field = f
			}
		}
		out = protowire.AppendBytes(append(out, tag...), v)
	}
	return out, field, true
}
