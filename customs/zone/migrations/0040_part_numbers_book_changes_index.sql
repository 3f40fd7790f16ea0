-- A book's part numbers changed after a change number (the evidence
-- seal's read).
CREATE INDEX zone_part_numbers_book_changes ON zone_part_numbers (book, change_seq);
