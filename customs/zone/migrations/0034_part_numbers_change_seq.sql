-- The book's document change number (zone_doc_seqs, TakeChange) of the
-- row's last change: set in the transaction of every change, so a book's
-- evidence seal reads the book, its lines (备案) and part numbers changed
-- since its last one.
ALTER TABLE zone_part_numbers ADD COLUMN change_seq BIGINT NOT NULL DEFAULT 0;
