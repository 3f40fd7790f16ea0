-- Per-day totals of book accounts split by flow: the counterpart account of
-- each posting, the document type and trade mode of its journal, and
-- whether the journal reverses another. Their sum over the flow columns is
-- ledger_day_totals for book accounts; the bonded inventory balance
-- (customs/writeoff) reads a period's in and out by flow from here.
CREATE TABLE ledger_flow_totals (
    account_book TEXT NOT NULL,
    day          DATE NOT NULL,
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
    PRIMARY KEY (account_book, day, account_name, item_book, item_code, counter_book, counter_name, doc_type, trade_mode, reversal)
);
