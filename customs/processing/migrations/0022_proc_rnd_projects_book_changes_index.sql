-- A book's rows changed after a change number (the evidence seal's read).
CREATE INDEX proc_rnd_projects_book_changes ON proc_rnd_projects (book, change_seq);
