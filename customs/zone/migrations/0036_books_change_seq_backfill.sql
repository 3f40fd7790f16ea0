-- Books stored before the change numbers: their change number of 0035, so
-- the book's next evidence seal records each of them.
UPDATE zone_books AS r SET change_seq = q.seq FROM zone_doc_seqs AS q WHERE q.book = r.no;
