CREATE TABLE ledger_day_totals (
    account_book TEXT NOT NULL,
    account_name TEXT NOT NULL,
    item_book    TEXT NOT NULL,
    item_code    TEXT NOT NULL,
    day          DATE NOT NULL,
    quantity_in  NUMERIC NOT NULL,
    quantity_out NUMERIC NOT NULL,
    value_in     NUMERIC NOT NULL,
    value_out    NUMERIC NOT NULL,
    PRIMARY KEY (account_book, account_name, item_book, item_code, day)
);
