-- A book's rows changed after a change number (the evidence seal's read).
CREATE INDEX proc_versions_book_changes ON proc_versions (book, change_seq);
