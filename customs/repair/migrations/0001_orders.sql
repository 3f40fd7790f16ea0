-- Repair orders (维修单): goods of one inbound list line taken into the
-- 待维修 section of a repair book. The enterprise's own number is the
-- idempotency key.
CREATE TABLE rep_orders (
    no         TEXT PRIMARY KEY,
    enterprise TEXT NOT NULL,
    inner_no   TEXT NOT NULL,
    book       TEXT NOT NULL,
    status     TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (enterprise, inner_no)
);
