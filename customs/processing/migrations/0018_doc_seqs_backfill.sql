-- The books of the rows stored before the change numbers have given change
-- number 1 (the zone's counter, zone_doc_seqs, which the zone's migrations
-- create and fill for its own documents).
INSERT INTO zone_doc_seqs (book, seq) SELECT book, 1 FROM (SELECT book FROM proc_versions UNION SELECT book FROM proc_destructions UNION SELECT book FROM proc_reports UNION SELECT book FROM proc_rnd_projects UNION SELECT book FROM proc_rnd_uses) AS b
ON CONFLICT (book) DO NOTHING;
