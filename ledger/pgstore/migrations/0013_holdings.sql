-- Current holdings of book accounts by lot; a row leaves when its lot is
-- emptied. World accounts keep no rows here: their balances are the sums of
-- their per-day totals.
CREATE TABLE ledger_holdings (
    item_book    TEXT NOT NULL,
    item_code    TEXT NOT NULL,
    account_book TEXT NOT NULL,
    account_name TEXT NOT NULL,
    lot          TEXT NOT NULL,
    quantity     NUMERIC NOT NULL,
    value        NUMERIC NOT NULL,
    PRIMARY KEY (item_book, item_code, account_book, account_name, lot),
    CONSTRAINT book_holdings_only CHECK (account_book <> ''),
    CONSTRAINT book_holdings_not_negative CHECK (quantity >= 0 AND value >= 0)
);
