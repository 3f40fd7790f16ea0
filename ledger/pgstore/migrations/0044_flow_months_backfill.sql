-- Fill the monthly totals by flow number from the per-day ones.
INSERT INTO ledger_flow_months (account_book, month, account_name, item_book, item_code, flow, quantity_in, quantity_out, value_in, value_out)
SELECT account_book, CAST(date_trunc('month', day) AS DATE), account_name, item_book, item_code, flow,
       sum(quantity_in), sum(quantity_out), sum(value_in), sum(value_out)
FROM ledger_flow_days
GROUP BY account_book, CAST(date_trunc('month', day) AS DATE), account_name, item_book, item_code, flow;
