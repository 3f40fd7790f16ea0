package pgstore

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtx"
)

var _ ledger.ReadWriter[pgx.Tx] = (*Store)(nil)

// ReadWriteAttempts is how many times ReadWriteTx tries a transaction at
// least.
const ReadWriteAttempts = 30

// ReadWriteTx implements ledger.ReadWriter: fn runs in one SERIALIZABLE
// transaction of the store's runner (retried from BEGIN on PostgreSQL,
// crdbpgx on CockroachDB), and the journals it posts through j are written
// in that transaction by the same code as a batch of the write batcher.
// fn's error comes back as fn returned it, so a consumer classifies the
// database errors of its own statements itself; a failure outside fn
// (BEGIN, COMMIT, retries exhausted there) comes back as a *ledger.Error.
//
// It tries up to ReadWriteAttempts times (or Options.MaxAttempts when
// larger): a consumer's transaction also locks its documents, which
// concurrent calls share, so it meets more conflicts than a batch does.
func (s *Store) ReadWriteTx(ctx context.Context, fn func(ctx context.Context, tx pgx.Tx, j ledger.Journals) error) error {
	txo := pgtx.Options{MaxAttempts: max(ReadWriteAttempts, s.opts.MaxAttempts), Faults: s.opts.Faults}
	if s.opts.Metrics != nil {
		txo.OnRetry, txo.OnAlone = s.opts.Metrics.Retried, s.opts.Metrics.RanAlone
	}
	runner, err := pgtx.NewRunner(s.pool, s.engine, txo)
	if err != nil {
		return err
	}
	var fnErr error
	names := &pgtx.Names{} // the books posted to: a retry waits for them (pgtx.RunNamed)
	_, err = runner.RunNamed(ctx, names, func(tx pgx.Tx) error {
		fnErr = fn(ctx, tx, &txJournals{s: s, tx: tx, names: names})
		return fnErr
	})
	if err == nil || err == fnErr {
		return err
	}
	return storeError(err)
}

// txJournals is the ledger.Journals of one ReadWriteTx attempt.
type txJournals struct {
	s     *Store
	tx    pgx.Tx
	names *pgtx.Names // the books the transaction posts to, across attempts
}

// PostMany implements ledger.Journals.
func (j *txJournals) PostMany(ctx context.Context, reqs []ledger.JournalRequest) ([]ledger.PostResult, error) {
	out := make([]ledger.PostResult, len(reqs))
	var ops []*op
	var at []int
	for i := range reqs {
		if err := ledger.ValidateShape(reqs[i]); err != nil {
			out[i].Err = err
			continue
		}
		ops, at = append(ops, &op{ctx: ctx, post: &reqs[i], hash: ledger.RequestHash(reqs[i])}), append(at, i)
	}
	res, err := j.write(ctx, ops)
	if err != nil {
		return nil, err
	}
	for k, r := range res {
		out[at[k]] = r
	}
	return out, nil
}

// Reverse implements ledger.Journals.
func (j *txJournals) Reverse(ctx context.Context, req ledger.ReverseRequest) (ledger.Journal, error) {
	if err := ledger.ValidateReverse(req); err != nil {
		return ledger.Journal{}, err
	}
	res, err := j.write(ctx, []*op{{ctx: ctx, rev: &req}})
	if err != nil {
		return ledger.Journal{}, err
	}
	return res[0].Journal, res[0].Err
}

// write runs the write path on ops in the caller's transaction.
func (j *txJournals) write(ctx context.Context, ops []*op) ([]ledger.PostResult, error) {
	if len(ops) == 0 {
		return nil, nil
	}
	j.names.Add(booksOf(ops)...)
	var res []ledger.PostResult
	err := j.s.jitOff(ctx, j.tx, func() error {
		var err error
		res, err = j.s.writeBatch(ctx, j.tx, ops, nil)
		return err
	})
	return res, err
}
