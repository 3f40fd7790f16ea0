-- Book buckets (book = the book's id) and world accounts (book = '').
CREATE TABLE ledger_accounts (
    book TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (book, name)
);
