-- ledger_flow_days summed by month (month = its first day), kept in the
-- same transaction: a period's whole months are read from here and only
-- its partial months from the per-day rows. Replaces
-- ledger_flow_month_totals.
CREATE TABLE ledger_flow_months (
    account_book TEXT NOT NULL,
    month        DATE NOT NULL,
    account_name TEXT NOT NULL,
    item_book    TEXT NOT NULL,
    item_code    TEXT NOT NULL,
    flow         INT8 NOT NULL,
    quantity_in  NUMERIC NOT NULL,
    quantity_out NUMERIC NOT NULL,
    value_in     NUMERIC NOT NULL,
    value_out    NUMERIC NOT NULL,
    PRIMARY KEY (account_book, month, account_name, item_book, item_code, flow)
);
