-- Current holdings by lot. World accounts (account_book = '') hold lot ''
-- and may go negative; book holdings never do.
CREATE TABLE ledger_holdings (
    item_book    TEXT NOT NULL,
    item_code    TEXT NOT NULL,
    account_book TEXT NOT NULL,
    account_name TEXT NOT NULL,
    lot          TEXT NOT NULL,
    quantity     NUMERIC NOT NULL,
    value        NUMERIC NOT NULL,
    PRIMARY KEY (item_book, item_code, account_book, account_name, lot),
    CONSTRAINT book_holdings_not_negative CHECK (account_book = '' OR (quantity >= 0 AND value >= 0))
);
