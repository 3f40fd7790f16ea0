-- The flows a book account's goods move by: the counterpart account, the
-- document type and trade mode of the journal, and whether it reverses
-- another. The totals by flow (ledger_flow_days, ledger_flow_months) name a
-- flow by its number, so that their rows are narrow and a period's balance
-- groups them by one small key instead of five text columns. Rows are
-- never changed or deleted.
CREATE TABLE ledger_flows (
    id           INT8 NOT NULL PRIMARY KEY,
    counter_book TEXT NOT NULL,
    counter_name TEXT NOT NULL,
    doc_type     TEXT NOT NULL,
    trade_mode   TEXT NOT NULL,
    reversal     BOOLEAN NOT NULL,
    UNIQUE (counter_book, counter_name, doc_type, trade_mode, reversal)
);
