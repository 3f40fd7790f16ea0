-- The book's document change number (zone_doc_seqs, zone.TakeChange) of
-- the row's last change: set in the transaction of every change, so a
-- book's evidence seal reads the documents changed since its last one.
ALTER TABLE proc_entrusted_moves ADD COLUMN change_seq BIGINT NOT NULL DEFAULT 0;
