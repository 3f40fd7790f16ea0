-- A book's rectification records changed after a change number (the
-- evidence seal's read).
CREATE INDEX rep_rectification_records_book_changes ON rep_rectification_records (book, change_seq);
