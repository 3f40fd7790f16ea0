-- The rectifications in force: a record in each book of the enterprise,
-- with the book's change number of 0013.
INSERT INTO rep_rectification_records (book, enterprise, since, note, by_principal, change_seq)
SELECT b.no, r.enterprise, r.since, r.note, r.by_principal, q.seq
FROM rep_rectifications AS r
JOIN zone_books AS b ON b.enterprise = r.enterprise
JOIN zone_doc_seqs AS q ON q.book = b.no;
