-- Production reports: the zone's number, the enterprise's own number (the
-- idempotency key, unique per enterprise), the book, and the report as
-- JSON with the journal that booked it.
CREATE TABLE proc_reports (
    no         TEXT PRIMARY KEY,
    enterprise TEXT NOT NULL,
    inner_no   TEXT NOT NULL,
    book       TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (enterprise, inner_no)
);
