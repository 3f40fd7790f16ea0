-- Stocktakes: the notice, the count, the differences and how each was
-- settled, and the close. body is the Stocktake as JSON.
CREATE TABLE writeoff_stocktakes (
    no TEXT PRIMARY KEY,
    book TEXT NOT NULL,
    enterprise TEXT NOT NULL,
    inner_no TEXT NOT NULL,
    status TEXT NOT NULL,
    stocktake_date DATE NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (book, inner_no)
);
