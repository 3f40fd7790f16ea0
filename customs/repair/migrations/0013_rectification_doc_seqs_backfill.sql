-- The rectifications in force before their records were in no book's
-- evidence, and the books may have been sealed since (evid_periods.zone_seq
-- > 1). So each book of an enterprise under rectification takes one change
-- number more (a row at 1 if it had none), which 0014 gives the records:
-- after every mark a seal read, so the book's next seal records them.
INSERT INTO zone_doc_seqs AS q (book, seq)
SELECT DISTINCT b.no, 1 FROM zone_books AS b JOIN rep_rectifications AS r ON r.enterprise = b.enterprise
ON CONFLICT (book) DO UPDATE SET seq = q.seq + 1;
