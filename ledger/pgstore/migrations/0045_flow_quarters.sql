-- ledger_flow_months summed by quarter (quarter = its first day: 1 January,
-- 1 April, 1 July or 1 October), kept in the same transaction: a period's
-- whole quarters are read from here, so a year reads four rows per flow
-- instead of twelve.
CREATE TABLE ledger_flow_quarters (
    account_book TEXT NOT NULL,
    quarter      DATE NOT NULL,
    account_name TEXT NOT NULL,
    item_book    TEXT NOT NULL,
    item_code    TEXT NOT NULL,
    flow         INT8 NOT NULL,
    quantity_in  NUMERIC NOT NULL,
    quantity_out NUMERIC NOT NULL,
    value_in     NUMERIC NOT NULL,
    value_out    NUMERIC NOT NULL,
    PRIMARY KEY (account_book, quarter, account_name, item_book, item_code, flow)
);
