CREATE INDEX zone_documents_link ON zone_documents (kind, link);
