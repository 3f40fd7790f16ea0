CREATE TABLE ledger_lots (
    item_book  TEXT NOT NULL,
    item_code  TEXT NOT NULL,
    lot        TEXT NOT NULL,
    entry_date DATE NOT NULL,
    journal_id BIGINT NOT NULL,
    attributes TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (item_book, item_code, lot)
);
