-- Number the flows of the totals written before them.
INSERT INTO ledger_flows (id, counter_book, counter_name, doc_type, trade_mode, reversal)
SELECT nextval('ledger_flow_ids'), counter_book, counter_name, doc_type, trade_mode, reversal
FROM (SELECT DISTINCT counter_book, counter_name, doc_type, trade_mode, reversal FROM ledger_flow_totals) f;
