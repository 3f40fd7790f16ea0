-- Destructions (销毁) of goods on a book: requested by the enterprise,
-- approved (the goods leave the book) or rejected by customs. The
-- enterprise's own number is the idempotency key.
CREATE TABLE proc_destructions (
    no         TEXT PRIMARY KEY,
    enterprise TEXT NOT NULL,
    inner_no   TEXT NOT NULL,
    book       TEXT NOT NULL,
    status     TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (enterprise, inner_no)
);
