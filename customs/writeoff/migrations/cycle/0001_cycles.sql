-- The write-off cycle of each book: the months the enterprise set and the
-- start customs set. body is the Cycle as JSON.
CREATE TABLE writeoff_cycles (
    book TEXT PRIMARY KEY,
    enterprise TEXT NOT NULL,
    body TEXT NOT NULL
);
