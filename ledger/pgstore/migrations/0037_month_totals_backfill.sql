-- Fill the monthly net totals from the per-day ones.
INSERT INTO ledger_month_totals (account_book, month, account_name, item_book, item_code, quantity, value)
SELECT account_book, CAST(date_trunc('month', day) AS DATE), account_name, item_book, item_code,
       sum(quantity_in - quantity_out), sum(value_in - value_out)
FROM ledger_day_totals
WHERE account_book <> ''
GROUP BY account_book, CAST(date_trunc('month', day) AS DATE), account_name, item_book, item_code;
