-- A journal's number in each book it touches: 1, 2, ... in the book's
-- commit order, gap-free.
ALTER TABLE ledger_journal_books ADD COLUMN book_seq BIGINT;
