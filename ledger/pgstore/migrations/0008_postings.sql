CREATE TABLE ledger_postings (
    journal_id     BIGINT NOT NULL,
    idx            INT NOT NULL,
    item_book      TEXT NOT NULL,
    item_code      TEXT NOT NULL,
    from_book      TEXT NOT NULL,
    from_name      TEXT NOT NULL,
    to_book        TEXT NOT NULL,
    to_name        TEXT NOT NULL,
    quantity       NUMERIC NOT NULL CHECK (quantity > 0),
    unit           TEXT NOT NULL,
    value          NUMERIC NOT NULL CHECK (value >= 0),
    lot            TEXT NOT NULL DEFAULT '',
    lot_attributes TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (journal_id, idx)
);
