-- A book's rows changed after a change number (the evidence seal's read).
CREATE INDEX rep_parts_book_changes ON rep_parts (book, change_seq);
