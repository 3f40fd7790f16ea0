package pgstore

import "github.com/zoneledger/zoneledger/ledger/pgshared/pgtx"

// Engine is the database engine behind a Store.
type Engine = pgtx.Engine

// The supported engines.
const (
	PostgreSQL  = pgtx.PostgreSQL
	CockroachDB = pgtx.CockroachDB
)

// Stage names a point in a write transaction where a FaultInjector may fail it.
type Stage = pgtx.Stage

// The stages a FaultInjector is asked about.
const (
	StageBegin  = pgtx.StageBegin
	StageApply  = pgtx.StageApply
	StageCommit = pgtx.StageCommit
)

// FaultInjector lets tests fail a write transaction at a chosen stage.
type FaultInjector = pgtx.FaultInjector

// SerializationFailure returns an error that looks exactly like PostgreSQL's
// SQLSTATE 40001, for fault injection.
func SerializationFailure(msg string) error { return pgtx.SerializationFailure(msg) }

// DetectEngine tells PostgreSQL from CockroachDB by SELECT version().
var DetectEngine = pgtx.DetectEngine

func retryable(err error) bool { return pgtx.Retryable(err) }
