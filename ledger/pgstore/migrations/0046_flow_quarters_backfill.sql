-- Fill the quarterly totals by flow number from the monthly ones.
INSERT INTO ledger_flow_quarters (account_book, quarter, account_name, item_book, item_code, flow, quantity_in, quantity_out, value_in, value_out)
SELECT account_book, CAST(date_trunc('quarter', month) AS DATE), account_name, item_book, item_code, flow,
       sum(quantity_in), sum(quantity_out), sum(value_in), sum(value_out)
FROM ledger_flow_months
GROUP BY account_book, CAST(date_trunc('quarter', month) AS DATE), account_name, item_book, item_code, flow;
