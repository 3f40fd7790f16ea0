CREATE TABLE ledger_items (
    book       TEXT NOT NULL,
    code       TEXT NOT NULL,
    unit       TEXT NOT NULL,
    scale      INT NOT NULL CHECK (scale BETWEEN 0 AND 5),
    name       TEXT NOT NULL DEFAULT '',
    attributes TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (book, code)
);
