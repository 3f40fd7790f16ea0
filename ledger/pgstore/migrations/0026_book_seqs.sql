-- Per book, how many journals touch it (the last book_seq given): the row a
-- write batch locks for each book its journals touch, in book order, so
-- that batches on disjoint books commit in parallel.
CREATE TABLE ledger_book_seqs (
    book  TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
