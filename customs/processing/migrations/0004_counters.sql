-- Per book and year, the last production report number issued.
CREATE TABLE proc_counters (
    prefix TEXT PRIMARY KEY,
    last   BIGINT NOT NULL
);
