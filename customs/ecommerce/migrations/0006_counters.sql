CREATE TABLE ecom_counters (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
