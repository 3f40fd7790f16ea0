ALTER TABLE ledger_journal_books ALTER COLUMN book_seq SET NOT NULL;
