-- Journal IDs come from a sequence instead of the ledger_counters row, so
-- that writes on different books do not queue on one row. IDs are unique
-- and, within a book, increase in commit order (a batch draws them after
-- locking its books' ledger_book_seqs rows); across books they need not be
-- gap-free or in commit order. ledger_counters is no longer used.
CREATE SEQUENCE ledger_journal_ids;
