-- Part numbers stored before the change numbers: their book's change
-- number of 0035, so the book's next evidence seal records each of them.
UPDATE zone_part_numbers AS r SET change_seq = q.seq FROM zone_doc_seqs AS q WHERE q.book = r.book;
