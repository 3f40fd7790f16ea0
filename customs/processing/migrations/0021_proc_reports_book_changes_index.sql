-- A book's rows changed after a change number (the evidence seal's read).
CREATE INDEX proc_reports_book_changes ON proc_reports (book, change_seq);
