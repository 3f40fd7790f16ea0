-- Fill the flow totals from the postings written before them.
INSERT INTO ledger_flow_totals (account_book, day, account_name, item_book, item_code, counter_book, counter_name, doc_type, trade_mode, reversal,
                                quantity_in, quantity_out, value_in, value_out)
SELECT account_book, day, account_name, item_book, item_code, counter_book, counter_name, doc_type, trade_mode, reversal,
       sum(quantity_in), sum(quantity_out), sum(value_in), sum(value_out)
FROM (
    SELECT p.to_book AS account_book, j.effective_date AS day, p.to_name AS account_name, p.item_book, p.item_code,
           p.from_book AS counter_book, p.from_name AS counter_name, j.doc_type, j.trade_mode, j.reversal_of <> 0 AS reversal,
           p.quantity AS quantity_in, 0 AS quantity_out, p.value AS value_in, 0 AS value_out
    FROM ledger_postings p JOIN ledger_journals j ON j.id = p.journal_id
    WHERE p.to_book <> ''
    UNION ALL
    SELECT p.from_book, j.effective_date, p.from_name, p.item_book, p.item_code,
           p.to_book, p.to_name, j.doc_type, j.trade_mode, j.reversal_of <> 0,
           0, p.quantity, 0, p.value
    FROM ledger_postings p JOIN ledger_journals j ON j.id = p.journal_id
    WHERE p.from_book <> ''
) moves
GROUP BY account_book, day, account_name, item_book, item_code, counter_book, counter_name, doc_type, trade_mode, reversal;
