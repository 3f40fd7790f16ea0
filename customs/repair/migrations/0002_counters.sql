-- The last number issued per document kind, book and year.
CREATE TABLE rep_counters (
    prefix TEXT PRIMARY KEY,
    last   BIGINT NOT NULL
);
