-- A pair's lots oldest first (ledger.LotLess): the write path pages through
-- them in this order.
CREATE INDEX ledger_holdings_fifo ON ledger_holdings (item_book, item_code, account_book, account_name, entry_date, lot_journal, lot);
