-- Per book, the last list change sequence number given. Each transaction
-- that changes a book's lists takes the next number here (the row stays
-- locked until it commits), so the numbers are given in commit order and
-- any snapshot sees the changes of a book up to some number, none missing.
CREATE TABLE ecom_list_seqs (
    book TEXT PRIMARY KEY,
    seq  BIGINT NOT NULL
);
