-- A book's documents changed after a change number (the evidence seal's read).
CREATE INDEX zone_documents_book_changes ON zone_documents (book, change_seq);
