-- Per book, the last document change number given. Each transaction that
-- changes a book's documents or records its taxable events takes the next
-- number here (the row stays locked until it commits), so the numbers are
-- given in commit order and any snapshot sees the changes of a book up to
-- some number, none missing.
CREATE TABLE zone_doc_seqs (
    book TEXT PRIMARY KEY,
    seq  BIGINT NOT NULL
);
