-- 委托加工: processing for a domestic (区外) firm. An entrustment names the
-- firm; its materials in and products back are moves. The enterprise's own
-- number is the idempotency key; a gate registration or list carries the
-- goods of one move only (reference, unique).
CREATE TABLE proc_entrustments (
    no         TEXT PRIMARY KEY,
    enterprise TEXT NOT NULL,
    inner_no   TEXT NOT NULL,
    book       TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (enterprise, inner_no)
);
CREATE TABLE proc_entrusted_moves (
    no          TEXT PRIMARY KEY,
    enterprise  TEXT NOT NULL,
    inner_no    TEXT NOT NULL,
    book        TEXT NOT NULL,
    entrustment TEXT NOT NULL,
    reference   TEXT NOT NULL UNIQUE,
    body        TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    UNIQUE (enterprise, inner_no)
);
