-- At most one reversal per journal: the primary key enforces it.
CREATE TABLE ledger_reversals (
    original_id BIGINT PRIMARY KEY,
    reversal_id BIGINT NOT NULL
);
