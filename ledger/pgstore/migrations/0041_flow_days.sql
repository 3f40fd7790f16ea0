-- Per-day totals of book accounts split by flow (ledger_flows). Their sum
-- over the flows is ledger_day_totals for book accounts; a period's partial
-- months are read from here. Replaces ledger_flow_totals, which spelled the
-- flow out in five columns.
CREATE TABLE ledger_flow_days (
    account_book TEXT NOT NULL,
    day          DATE NOT NULL,
    account_name TEXT NOT NULL,
    item_book    TEXT NOT NULL,
    item_code    TEXT NOT NULL,
    flow         INT8 NOT NULL,
    quantity_in  NUMERIC NOT NULL,
    quantity_out NUMERIC NOT NULL,
    value_in     NUMERIC NOT NULL,
    value_out    NUMERIC NOT NULL,
    PRIMARY KEY (account_book, day, account_name, item_book, item_code, flow)
);
