-- A book's part numbers of a range of its lines, in line then part order
-- (ListBookLines' read of a page's part numbers).
CREATE INDEX zone_part_numbers_book_lines ON zone_part_numbers (book, seq, part);
