-- The monthly net totals were the sums of the totals by flow over their
-- flows; a period's opening is now read from ledger_flow_quarters and
-- ledger_flow_months, one upsert fewer per write.
DROP TABLE ledger_month_totals;
