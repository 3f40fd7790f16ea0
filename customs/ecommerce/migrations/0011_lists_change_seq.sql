-- The book's list change sequence number of the list's last change
-- (ecom_list_seqs): set in the transaction of every change of the list,
-- so a book's evidence seal reads the lists changed since its last one.
ALTER TABLE ecom_lists ADD COLUMN change_seq BIGINT NOT NULL DEFAULT 0;
