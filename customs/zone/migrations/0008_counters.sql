-- Number sequences (list numbers per office, year and direction, ...).
CREATE TABLE zone_counters (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
