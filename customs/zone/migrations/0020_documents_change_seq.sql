-- The book's document change number of the document's last change
-- (zone_doc_seqs): set in the transaction of every change of the document,
-- so a book's evidence seal reads the documents changed since its last one.
ALTER TABLE zone_documents ADD COLUMN change_seq BIGINT NOT NULL DEFAULT 0;
