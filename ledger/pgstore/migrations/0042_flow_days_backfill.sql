-- Fill the per-day totals by flow number from ledger_flow_totals.
INSERT INTO ledger_flow_days (account_book, day, account_name, item_book, item_code, flow, quantity_in, quantity_out, value_in, value_out)
SELECT t.account_book, t.day, t.account_name, t.item_book, t.item_code, f.id, t.quantity_in, t.quantity_out, t.value_in, t.value_out
FROM ledger_flow_totals t JOIN ledger_flows f
  ON f.counter_book = t.counter_book AND f.counter_name = t.counter_name AND f.doc_type = t.doc_type
 AND f.trade_mode = t.trade_mode AND f.reversal = t.reversal;
