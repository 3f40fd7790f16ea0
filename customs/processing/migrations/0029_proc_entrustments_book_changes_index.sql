-- A book's rows changed after a change number (the evidence seal's read).
CREATE INDEX proc_entrustments_book_changes ON proc_entrustments (book, change_seq);
