-- Every filed document (verification lists, gate passes, business forms,
-- in/out slips, consumption reports, certificates): kind, the zone's number,
-- the filer's own number (its idempotency key, unique per enterprise and
-- kind), status, and the document as JSON. pending names the change whose
-- ledger journal is in flight (see intents).
CREATE TABLE zone_documents (
    kind       TEXT NOT NULL,
    no         TEXT NOT NULL,
    enterprise TEXT NOT NULL,
    inner_no   TEXT NOT NULL,
    book       TEXT NOT NULL,
    status     TEXT NOT NULL,
    pending    TEXT NOT NULL DEFAULT '',
    body       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (kind, no),
    UNIQUE (kind, enterprise, inner_no)
);
