-- Journals written before are numbered in ID order, which was commit order.
UPDATE ledger_journal_books AS b SET book_seq = n.seq
FROM (SELECT book, journal_id, row_number() OVER (PARTITION BY book ORDER BY journal_id) AS seq FROM ledger_journal_books) AS n
WHERE n.book = b.book AND n.journal_id = b.journal_id;
