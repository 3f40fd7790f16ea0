-- ledger_flow_totals summed by month (month = its first day), kept in the
-- same transaction: a period's whole months are read from here and only
-- its partial months from the per-day rows, so a balance over a year of a
-- busy book reads twelve rows per flow instead of 365.
CREATE TABLE ledger_flow_month_totals (
    account_book TEXT NOT NULL,
    month        DATE NOT NULL,
    account_name TEXT NOT NULL,
    item_book    TEXT NOT NULL,
    item_code    TEXT NOT NULL,
    counter_book TEXT NOT NULL,
    counter_name TEXT NOT NULL,
    doc_type     TEXT NOT NULL,
    trade_mode   TEXT NOT NULL,
    reversal     BOOLEAN NOT NULL,
    quantity_in  NUMERIC NOT NULL,
    quantity_out NUMERIC NOT NULL,
    value_in     NUMERIC NOT NULL,
    value_out    NUMERIC NOT NULL,
    PRIMARY KEY (account_book, month, account_name, item_book, item_code, counter_book, counter_name, doc_type, trade_mode, reversal)
);
