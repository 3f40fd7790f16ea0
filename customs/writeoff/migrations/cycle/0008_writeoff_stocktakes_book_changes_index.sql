-- A book's rows changed after a change number (the evidence seal's read).
CREATE INDEX writeoff_stocktakes_book_changes ON writeoff_stocktakes (book, change_seq);
