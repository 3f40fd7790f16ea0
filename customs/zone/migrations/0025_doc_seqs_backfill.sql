-- The books of the documents and events stored before 0020 have given
-- change number 1.
INSERT INTO zone_doc_seqs (book, seq)
SELECT book, 1 FROM (SELECT book FROM zone_documents UNION SELECT book FROM zone_taxable_events) AS b;
