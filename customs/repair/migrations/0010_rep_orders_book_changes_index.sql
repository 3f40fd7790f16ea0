-- A book's rows changed after a change number (the evidence seal's read).
CREATE INDEX rep_orders_book_changes ON rep_orders (book, change_seq);
