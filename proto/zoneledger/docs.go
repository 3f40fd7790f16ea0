// Package zoneledger holds what the protos of zoneledger.*.v1 say of
// themselves beyond what the generated code keeps: the comments of their
// messages, fields, enum values, services and methods, read from the buf
// image built with source info beside this file (descriptors.binpb, made by
// proto/gen.sh). Clients show them as help, so that a field is documented in
// one place: its .proto file.
package zoneledger

import (
	_ "embed"
	"strings"
	"sync"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"
)

//go:embed descriptors.binpb
var image []byte

// Comment is the leading comment of the element of the protos named name (a
// message, field, enum, enum value, service or method) with its comment
// markers and surrounding space removed; "" when it has none.
func Comment(name protoreflect.FullName) string {
	return comments()[name]
}

// comments reads the image once.
var comments = sync.OnceValue(func() map[protoreflect.FullName]string {
	var set descriptorpb.FileDescriptorSet
	if err := proto.Unmarshal(image, &set); err != nil {
		panic("proto/zoneledger: descriptors.binpb does not parse (run proto/gen.sh): " + err.Error())
	}
	m := make(map[protoreflect.FullName]string)
	for _, f := range set.GetFile() {
		names := elementNames(f)
		for _, loc := range f.GetSourceCodeInfo().GetLocation() {
			if c := strings.TrimSpace(loc.GetLeadingComments()); c != "" {
				if name, ok := names[pathKey(loc.GetPath())]; ok {
					m[name] = unindent(c)
				}
			}
		}
	}
	return m
})

// The field numbers of the descriptor messages that source paths walk.
const (
	fileMessages  = 4 // FileDescriptorProto.message_type
	fileEnums     = 5 // FileDescriptorProto.enum_type
	fileServices  = 6 // FileDescriptorProto.service
	msgFields     = 2 // DescriptorProto.field
	msgNested     = 3 // DescriptorProto.nested_type
	msgEnums      = 4 // DescriptorProto.enum_type
	enumValues    = 2 // EnumDescriptorProto.value
	serviceMethod = 2 // ServiceDescriptorProto.method
)

// elementNames maps the source path of each named element of f to its full
// name.
func elementNames(f *descriptorpb.FileDescriptorProto) map[string]protoreflect.FullName {
	names := make(map[string]protoreflect.FullName)
	pkg := protoreflect.FullName(f.GetPackage())
	enums := func(path []int32, scope protoreflect.FullName, es []*descriptorpb.EnumDescriptorProto) {
		for i, e := range es {
			p := append(append([]int32{}, path...), int32(i))
			names[pathKey(p)] = scope.Append(protoreflect.Name(e.GetName()))
			for j, v := range e.GetValue() {
				// An enum value's name is a sibling of its enum's.
				names[pathKey(append(append([]int32{}, p...), enumValues, int32(j)))] = scope.Append(protoreflect.Name(v.GetName()))
			}
		}
	}
	var messages func(path []int32, scope protoreflect.FullName, ms []*descriptorpb.DescriptorProto)
	messages = func(path []int32, scope protoreflect.FullName, ms []*descriptorpb.DescriptorProto) {
		for i, msg := range ms {
			p := append(append([]int32{}, path...), int32(i))
			name := scope.Append(protoreflect.Name(msg.GetName()))
			names[pathKey(p)] = name
			for j, fd := range msg.GetField() {
				names[pathKey(append(append([]int32{}, p...), msgFields, int32(j)))] = name.Append(protoreflect.Name(fd.GetName()))
			}
			messages(append(append([]int32{}, p...), msgNested), name, msg.GetNestedType())
			enums(append(append([]int32{}, p...), msgEnums), name, msg.GetEnumType())
		}
	}
	messages([]int32{fileMessages}, pkg, f.GetMessageType())
	enums([]int32{fileEnums}, pkg, f.GetEnumType())
	for i, s := range f.GetService() {
		name := pkg.Append(protoreflect.Name(s.GetName()))
		names[pathKey([]int32{fileServices, int32(i)})] = name
		for j, m := range s.GetMethod() {
			names[pathKey([]int32{fileServices, int32(i), serviceMethod, int32(j)})] = name.Append(protoreflect.Name(m.GetName()))
		}
	}
	return names
}

func pathKey(p []int32) string {
	var b strings.Builder
	for _, n := range p {
		b.WriteByte(byte(n >> 8))
		b.WriteByte(byte(n))
	}
	return b.String()
}

// unindent joins a comment's lines, each without the one space after "//".
func unindent(c string) string {
	lines := strings.Split(c, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimPrefix(l, " ")
	}
	return strings.Join(lines, "\n")
}

// Image is the buf image the comments are read from: a FileDescriptorSet of
// every file of zoneledger.*.v1, with source info.
func Image() []byte { return image }
