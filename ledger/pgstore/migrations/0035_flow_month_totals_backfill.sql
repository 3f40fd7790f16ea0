-- Fill the monthly flow totals from the per-day ones.
INSERT INTO ledger_flow_month_totals (account_book, month, account_name, item_book, item_code, counter_book, counter_name, doc_type, trade_mode, reversal,
                                      quantity_in, quantity_out, value_in, value_out)
SELECT account_book, CAST(date_trunc('month', day) AS DATE), account_name, item_book, item_code, counter_book, counter_name, doc_type, trade_mode, reversal,
       sum(quantity_in), sum(quantity_out), sum(value_in), sum(value_out)
FROM ledger_flow_totals
GROUP BY account_book, CAST(date_trunc('month', day) AS DATE), account_name, item_book, item_code, counter_book, counter_name, doc_type, trade_mode, reversal;
