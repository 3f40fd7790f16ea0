INSERT INTO ledger_book_seqs (book, value)
SELECT b.id, (SELECT count(*) FROM ledger_journal_books j WHERE j.book = b.id) FROM ledger_books b;
