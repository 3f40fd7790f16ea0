ALTER TABLE ledger_holdings ALTER COLUMN entry_date SET NOT NULL;
