-- Bonded R&D (保税研发): the projects of a book, and the uses (研发耗用)
-- the enterprise reports per project. The enterprise's own number of a use
-- is its idempotency key.
CREATE TABLE proc_rnd_projects (
    book       TEXT NOT NULL,
    code       TEXT NOT NULL,
    enterprise TEXT NOT NULL,
    body       TEXT NOT NULL,
    PRIMARY KEY (book, code)
);

CREATE TABLE proc_rnd_uses (
    no         TEXT PRIMARY KEY,
    enterprise TEXT NOT NULL,
    inner_no   TEXT NOT NULL,
    book       TEXT NOT NULL,
    project    TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (enterprise, inner_no)
);

CREATE INDEX proc_rnd_uses_project ON proc_rnd_uses (book, project, no);
