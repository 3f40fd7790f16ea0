CREATE UNIQUE INDEX ledger_journal_books_seq ON ledger_journal_books (book, book_seq);
