-- A book's lists with a return asked for and not received, by release day:
-- the evidence seal finds those whose return lapsed since its last read.
CREATE INDEX ecom_lists_book_returns ON ecom_lists (book, released_on) WHERE status = 'RETURN_REQUESTED';
