-- The entrustments and moves stored before their change numbers were never
-- in a book's evidence, and the book may have been sealed since the other
-- documents got theirs (evid_periods.zone_seq > 1). So each of their books
-- takes one change number more (a row at 1 if it had none), which
-- 0027-0028 give the rows: after every mark a seal read, so the book's
-- next seal records each of them.
INSERT INTO zone_doc_seqs AS q (book, seq)
SELECT book, 1 FROM (SELECT book FROM proc_entrustments UNION SELECT book FROM proc_entrusted_moves) AS b
ON CONFLICT (book) DO UPDATE SET seq = q.seq + 1;
