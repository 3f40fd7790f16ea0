package tests

import (
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/status"
)

// errorDomain is the google.rpc.ErrorInfo domain of every zoneledger error,
// as the API declares it (proto/zoneledger/errors/v1/reason.proto).
const errorDomain = "zoneledger"

// The tests read an error as any client does, from its ErrorInfo detail:
// they import no server package to know the reasons.

// reasonOf is the stable reason of a gRPC status error, or "".
func reasonOf(err error) string { return errorInfoOf(err).GetReason() }

// fieldOf is the request field a gRPC status error names, or "".
func fieldOf(err error) string { return errorInfoOf(err).GetMetadata()["field"] }

// errorInfoOf is the ErrorInfo detail of a gRPC status error, or nil.
func errorInfoOf(err error) *errdetails.ErrorInfo {
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
