-- A book's rows changed after a change number (the evidence seal's read).
CREATE INDEX writeoff_cycles_book_changes ON writeoff_cycles (book, change_seq);
