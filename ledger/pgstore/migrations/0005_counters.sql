CREATE TABLE ledger_counters (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
