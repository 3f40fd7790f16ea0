-- Repair parts (维修用料件) taken from the bonded bucket into the parts
-- section. The enterprise's own number is the idempotency key.
CREATE TABLE rep_parts (
    no         TEXT PRIMARY KEY,
    enterprise TEXT NOT NULL,
    inner_no   TEXT NOT NULL,
    book       TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (enterprise, inner_no)
);
