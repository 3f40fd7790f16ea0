-- Replaced by ledger_flow_days.
DROP TABLE ledger_flow_totals;
