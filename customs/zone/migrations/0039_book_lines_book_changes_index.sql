-- A book's lines changed after a change number (the evidence seal's read).
CREATE INDEX zone_book_lines_book_changes ON zone_book_lines (book, change_seq);
