package pgstore

import (
	"embed"

	"github.com/zoneledger/zoneledger/ledger/pgshared/migrate"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations returns the ledger's schema migrations (component "ledger").
func Migrations() migrate.Set {
	return migrate.MustLoad("ledger", migrationFiles, "migrations")
}
