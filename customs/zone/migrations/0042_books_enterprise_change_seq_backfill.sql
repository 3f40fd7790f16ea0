-- Books stored before: the change number 0036 gave the book (after every
-- mark a seal read), so the book's next seal records its enterprise with
-- the book.
UPDATE zone_books SET enterprise_change_seq = change_seq;
