-- The net movement of each book account and item per month (month = its
-- first day): ledger_day_totals of book accounts summed by month, kept in
-- the same transaction. A period's opening balance is read from here for
-- its whole months before it, and from the per-day rows only for the days
-- of its first month before it.
CREATE TABLE ledger_month_totals (
    account_book TEXT NOT NULL,
    month        DATE NOT NULL,
    account_name TEXT NOT NULL,
    item_book    TEXT NOT NULL,
    item_code    TEXT NOT NULL,
    quantity     NUMERIC NOT NULL,
    value        NUMERIC NOT NULL,
    PRIMARY KEY (account_book, month, account_name, item_book, item_code)
);
