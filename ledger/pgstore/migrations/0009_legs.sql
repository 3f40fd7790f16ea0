CREATE TABLE ledger_legs (
    journal_id BIGINT NOT NULL,
    posting    INT NOT NULL,
    idx        INT NOT NULL,
    lot        TEXT NOT NULL,
    quantity   NUMERIC NOT NULL CHECK (quantity > 0),
    value      NUMERIC NOT NULL CHECK (value >= 0),
    PRIMARY KEY (journal_id, posting, idx)
);
