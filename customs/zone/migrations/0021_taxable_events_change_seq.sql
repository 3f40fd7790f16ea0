-- The book's document change number of the taxable event's recording
-- (zone_doc_seqs), as for zone_documents.change_seq.
ALTER TABLE zone_taxable_events ADD COLUMN change_seq BIGINT NOT NULL DEFAULT 0;
