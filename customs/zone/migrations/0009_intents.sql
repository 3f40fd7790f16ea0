-- Changes whose ledger journal is being posted: written before the journal
-- is posted (with its idempotency key), deleted when the change is
-- finished. A crash in between leaves the row; recovery posts the journal
-- again (the ledger answers the same journal) and finishes the change.
CREATE TABLE zone_intents (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
