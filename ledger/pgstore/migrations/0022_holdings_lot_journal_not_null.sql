ALTER TABLE ledger_holdings ALTER COLUMN lot_journal SET NOT NULL;
