CREATE INDEX zone_books_enterprise ON zone_books (enterprise, no);
