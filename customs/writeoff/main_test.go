package writeoff

import (
	"os"
	"testing"

	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
