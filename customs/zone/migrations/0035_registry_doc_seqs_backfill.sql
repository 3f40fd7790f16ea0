-- The books, their lines and part numbers stored before their change
-- numbers were never in a book's evidence, and the book may have been
-- sealed since its documents got theirs (evid_periods.zone_seq > 1). So
-- each book takes one change number more (a row at 1 if it had none),
-- which 0036-0038 give the rows: after every mark a seal read, so the
-- book's next seal records each of them.
INSERT INTO zone_doc_seqs AS q (book, seq)
SELECT no, 1 FROM zone_books
ON CONFLICT (book) DO UPDATE SET seq = q.seq + 1;
