CREATE INDEX ledger_journal_books_date ON ledger_journal_books (book, effective_date, journal_id);
