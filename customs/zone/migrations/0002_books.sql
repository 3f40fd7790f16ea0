-- Account books (电子账册); the body is the book as JSON.
CREATE TABLE zone_books (
    no         TEXT PRIMARY KEY,
    enterprise TEXT NOT NULL,
    body       TEXT NOT NULL
);
