-- A book's rows changed after a change number (the evidence seal's read).
CREATE INDEX proc_rnd_uses_book_changes ON proc_rnd_uses (book, change_seq);
