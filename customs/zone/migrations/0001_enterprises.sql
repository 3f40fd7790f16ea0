-- Zone enterprises, keyed by their unified social credit code (USCC).
CREATE TABLE zone_enterprises (
    uscc         TEXT PRIMARY KEY,
    customs_code TEXT NOT NULL UNIQUE,
    body         TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);
