-- Rows stored before the change numbers: their book's change number of
-- 0026, so the book's next evidence seal records each of them.
UPDATE proc_entrustments AS r SET change_seq = q.seq FROM zone_doc_seqs AS q WHERE q.book = r.book;
