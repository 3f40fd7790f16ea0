-- The books of the rows stored before the change numbers have given change
-- number 1 (the zone's counter, zone_doc_seqs, which the zone's migrations
-- create and fill for its own documents).
INSERT INTO zone_doc_seqs (book, seq) SELECT book, 1 FROM (SELECT book FROM writeoff_stocktakes UNION SELECT book FROM writeoff_cycles) AS b
ON CONFLICT (book) DO NOTHING;
