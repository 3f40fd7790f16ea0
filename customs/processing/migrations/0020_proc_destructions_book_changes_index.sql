-- A book's rows changed after a change number (the evidence seal's read).
CREATE INDEX proc_destructions_book_changes ON proc_destructions (book, change_seq);
