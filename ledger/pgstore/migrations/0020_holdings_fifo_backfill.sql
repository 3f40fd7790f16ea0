UPDATE ledger_holdings AS h SET entry_date = l.entry_date, lot_journal = l.journal_id
FROM ledger_lots AS l
WHERE l.item_book = h.item_book AND l.item_code = h.item_code AND l.lot = h.lot;
