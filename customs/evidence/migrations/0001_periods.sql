-- A sealed period's evidence: the ledger period it covers, the evidence
-- digest and the one before it, and how many records it holds.
CREATE TABLE evid_periods (
    book            TEXT NOT NULL,
    through         DATE NOT NULL,
    from_date       DATE,
    ledger_digest   BYTEA NOT NULL,
    previous_digest BYTEA NOT NULL,
    digest          BYTEA NOT NULL,
    journals        BIGINT NOT NULL,
    documents       BIGINT NOT NULL,
    sealed_at       TIMESTAMPTZ NOT NULL,
    sealed_by       TEXT NOT NULL,
    PRIMARY KEY (book, through)
);
