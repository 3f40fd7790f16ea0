-- Book lines (备案序号) with their units and conversion factors as JSON.
CREATE TABLE zone_book_lines (
    book TEXT NOT NULL,
    seq  INT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (book, seq)
);
