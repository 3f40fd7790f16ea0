-- Enterprises customs put under rectification (整改): they may not open
-- repair orders while listed.
CREATE TABLE rep_rectifications (
    enterprise   TEXT PRIMARY KEY,
    note         TEXT NOT NULL,
    since        TIMESTAMPTZ NOT NULL,
    by_principal TEXT NOT NULL
);
