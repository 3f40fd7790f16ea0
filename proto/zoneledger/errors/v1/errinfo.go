// Hand-written (not generated): how a client reads a zoneledger error. The
// server and its clients (zonectl, the demo, tests/) share it, so no client
// imports a server package to read an error. See proto/README.md.

package errorsv1

import (
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/status"
)

// Domain is the google.rpc.ErrorInfo domain of every zoneledger error.
const Domain = "zoneledger"

// InfoOf returns the google.rpc.ErrorInfo detail of a gRPC status error, or
// nil when err is not a status error or carries none.
func InfoOf(err error) *errdetails.ErrorInfo {
	st, ok := status.FromError(err)
	if !ok {
		return nil
	}
	for _, d := range st.Details() {
		if info, ok := d.(*errdetails.ErrorInfo); ok {
			return info
		}
	}
	return nil
}

// ReasonOf returns the stable reason a gRPC status error carries (the name
// of a Reason value, e.g. "INSUFFICIENT_BONDED_STOCK"), or "". Compare it
// with Reason_X.String(), or look it up in Reason_value.
func ReasonOf(err error) string { return InfoOf(err).GetReason() }

// FieldOf returns the request field a gRPC status error names
// (ErrorInfo.metadata["field"], e.g. "lines[0].lot"), or "".
func FieldOf(err error) string { return InfoOf(err).GetMetadata()["field"] }

// ErrorIDOf returns the id the server logged an error's cause under
// (ErrorInfo.metadata["error_id"]), or "": quote it to the operator.
func ErrorIDOf(err error) string { return InfoOf(err).GetMetadata()["error_id"] }
