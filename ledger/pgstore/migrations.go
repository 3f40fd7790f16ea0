package pgstore

import (
	"embed"

	"github.com/zoneledger/zoneledger/ledger/pgshared/migrate"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations returns the ledger's schema migrations (component "ledger").
func Migrations() migrate.Set {
	set, err := migrate.Load("ledger", migrationFiles, "migrations")
	if err != nil {
		panic(err) // the embedded files are fixed at build time; tests catch this
	}
	return set
}
