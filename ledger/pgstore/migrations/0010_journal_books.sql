-- Every book a journal touches, for per-book listing and period seals.
CREATE TABLE ledger_journal_books (
    book           TEXT NOT NULL,
    journal_id     BIGINT NOT NULL,
    effective_date DATE NOT NULL,
    PRIMARY KEY (book, journal_id)
);
