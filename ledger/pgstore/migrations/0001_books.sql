CREATE TABLE ledger_books (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    owner          TEXT NOT NULL,
    attributes     TEXT NOT NULL DEFAULT '{}',
    closed_through DATE,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
