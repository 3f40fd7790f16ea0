-- The journal that created the holding's lot (ledger_lots.journal_id).
ALTER TABLE ledger_holdings ADD COLUMN lot_journal BIGINT;
