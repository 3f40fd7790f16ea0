-- Goods leaving bonded status, with the tax engine's assessment.
CREATE TABLE zone_taxable_events (
    id         BIGINT PRIMARY KEY,
    book       TEXT NOT NULL,
    enterprise TEXT NOT NULL,
    source     TEXT NOT NULL UNIQUE,
    event_date DATE NOT NULL,
    body       TEXT NOT NULL
);
