// Package grpcedge is zoneledger's one gRPC edge: every service adapter
// (ledger/ledgerapi, customs/customsapi, customs/taxapi, customs/accessapi)
// and the server's interceptors turn errors into answers here, and nowhere
// else.
//
// It owns the one table from ledger error kinds to gRPC codes and the
// status a caller gets (Status: the code, ErrorInfo with the stable reason,
// the field at fault, BadRequest; internal causes logged under an error id,
// never shown), the per-item errors of batch calls (Item: the code name,
// reason, field and message one item of a batch would have answered alone),
// the canonical code names (CodeName), opaque page tokens and page sizes
// (EncodePageToken, DecodePageToken, DecodeIntPageToken, PageSize), and the
// server's generic interceptors: recovery from panics and raw errors
// (RecoveryInterceptors, with TextCodec, which lets invalid UTF-8 be refused
// as INVALID_ARGUMENT rather than by the decoder as INTERNAL), the limits on
// what calls hold in flight (Limiter), and the refusal of text that breaks
// the API's rule (wiretext.Check: unstorable text, or control,
// bidirectional-control and zero-width characters, reason
// INVISIBLE_CHARACTER) and of protovalidate violations before any handler
// runs (ValidationInterceptors). README.md beside it has the character rule's
// reasoning and its cost.
//
// The reasons the edge sends are declared, one by one, in the API:
// zoneledger.errors.v1.Reason (proto/zoneledger/errors/v1/reason.proto).
// A test here fails when a Go reason constant is missing from that enum.
//
// grpcedge is server code: it imports ledger (for its Error type) and gRPC,
// nothing of customs. Clients (zonectl, the demo, tests/) read an error's
// ErrorInfo through the generated and genproto types and never import it.
package grpcedge
