-- A customs number names one document of a kind; documents are found by it.
CREATE UNIQUE INDEX zone_documents_customs_no ON zone_documents (kind, customs_no) WHERE customs_no <> '';
