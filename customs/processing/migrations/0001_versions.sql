-- Unit consumption versions (单耗版本): per book and finished (or
-- semi-finished) good's line, a version number with its effective date,
-- status and norms (the version as JSON). used_by names the first report
-- that used it: a used version is never changed, only superseded.
CREATE TABLE proc_versions (
    book           TEXT NOT NULL,
    finished_seq   INT NOT NULL,
    version        TEXT NOT NULL,
    enterprise     TEXT NOT NULL,
    effective_date DATE NOT NULL,
    status         TEXT NOT NULL,
    used_by        TEXT NOT NULL DEFAULT '',
    body           TEXT NOT NULL,
    PRIMARY KEY (book, finished_seq, version)
);
