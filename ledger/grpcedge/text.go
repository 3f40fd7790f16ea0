package grpcedge

import (
	"google.golang.org/protobuf/proto"

	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/proto/zoneledger/wiretext"
)

// ReasonInvisibleCharacter refuses a request with a string that holds a
// character textrule.Refused names: a control,
// bidirectional-control or zero-width character. Declared in
// zoneledger.errors.v1.Reason.
const ReasonInvisibleCharacter = "INVISIBLE_CHARACTER"

// checkText refuses a request whose text breaks the API's rule
// (wiretext.Check), naming the first such field as protovalidate names
// fields ("lines[2].name", `metadata["key"]`): text PostgreSQL cannot store
// (U+0000, invalid UTF-8) with reason INVALID_ARGUMENT, a control,
// bidirectional-control or zero-width character with
// ReasonInvisibleCharacter, and a message naming the character, its code
// point and its position.
func checkText(m proto.Message) error {
	f := wiretext.Check(m)
	switch {
	case f == nil:
		return nil
	case f.Unstorable:
		return ledger.BadArgument(f.Field, "%s", f.Why)
	}
	return ledger.Invalid(ReasonInvisibleCharacter, f.Field, "%s", f.Why)
}
