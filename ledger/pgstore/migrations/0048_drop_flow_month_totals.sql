-- Replaced by ledger_flow_months.
DROP TABLE ledger_flow_month_totals;
