-- A book's rows changed after a change number (the evidence seal's read).
CREATE INDEX proc_entrusted_moves_book_changes ON proc_entrusted_moves (book, change_seq);
