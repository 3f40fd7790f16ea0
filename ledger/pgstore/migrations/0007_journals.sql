CREATE TABLE ledger_journals (
    id             BIGINT PRIMARY KEY,
    book           TEXT NOT NULL,
    idem_key       TEXT NOT NULL,
    request_hash   BYTEA NOT NULL,
    effective_date DATE NOT NULL,
    doc_type       TEXT NOT NULL DEFAULT '',
    doc_number     TEXT NOT NULL DEFAULT '',
    trade_mode     TEXT NOT NULL DEFAULT '',
    principal      TEXT NOT NULL DEFAULT '',
    metadata       TEXT NOT NULL DEFAULT '{}',
    reversal_of    BIGINT NOT NULL DEFAULT 0,
    committed_at   TIMESTAMPTZ NOT NULL,
    hash           BYTEA NOT NULL,
    UNIQUE (book, idem_key)
);
