CREATE INDEX zone_documents_book ON zone_documents (kind, book, no);
