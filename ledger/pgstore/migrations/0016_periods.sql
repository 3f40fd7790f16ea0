CREATE TABLE ledger_periods (
    book            TEXT NOT NULL,
    through         DATE NOT NULL,
    from_date       DATE,
    journal_count   BIGINT NOT NULL,
    digest          BYTEA NOT NULL,
    previous_digest BYTEA NOT NULL,
    closed_at       TIMESTAMPTZ NOT NULL,
    idem_key        TEXT NOT NULL,
    PRIMARY KEY (book, through),
    UNIQUE (book, idem_key)
);
