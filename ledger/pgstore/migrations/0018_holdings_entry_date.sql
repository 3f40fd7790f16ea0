-- A holding carries its lot's first-in first-out key (the lot's entry date
-- and creating journal, which never change), so that the write path reads a
-- pair's oldest open lots from an index, a page at a time, instead of every
-- open lot joined to ledger_lots.
ALTER TABLE ledger_holdings ADD COLUMN entry_date DATE;
