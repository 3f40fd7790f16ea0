package access

// Stable reasons of access errors, carried in ErrorInfo.reason. Clients
// match on these strings; never change one once released. Unauthenticated
// and permission-denied errors use ledger.ReasonUnauthenticated and
// ledger.ReasonPermissionDenied.
const (
	// ReasonPrincipalExists: CreatePrincipal with an existing ID and a
	// different body.
	ReasonPrincipalExists = "PRINCIPAL_EXISTS"
	// ReasonUnknownPrincipal: no principal has the given ID.
	ReasonUnknownPrincipal = "UNKNOWN_PRINCIPAL"
	// ReasonUnknownToken: no token has the given token ID.
	ReasonUnknownToken = "UNKNOWN_TOKEN"
	// ReasonPrincipalDisabled: the principal is disabled, so no token can be
	// issued for it.
	ReasonPrincipalDisabled = "PRINCIPAL_DISABLED"
	// ReasonLastAdmin: disabling the principal would leave no enabled admin.
	ReasonLastAdmin = "LAST_ADMIN"
)
