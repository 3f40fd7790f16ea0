CREATE INDEX ledger_books_owner ON ledger_books (owner, id);
