-- A book's lists changed after a change number (the evidence seal's read).
CREATE INDEX ecom_lists_book_changes ON ecom_lists (book, change_seq);
