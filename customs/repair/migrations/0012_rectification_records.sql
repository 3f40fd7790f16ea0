-- Each rectification (整改) customs set on an enterprise, as a record of
-- every book the enterprise held when it was set or lifted: since, why and
-- by whom, and when and by whom it was lifted (lifted_at NULL while in
-- force). rep_rectifications keeps the enterprise's current state (and
-- forgets it when lifted); these rows keep the history, with the book's
-- document change number (zone_doc_seqs, zone.TakeChange) of the row's
-- last change, so a book's evidence seal records each set and lift.
CREATE TABLE rep_rectification_records (
    book         TEXT NOT NULL,
    enterprise   TEXT NOT NULL,
    since        TIMESTAMPTZ NOT NULL,
    note         TEXT NOT NULL,
    by_principal TEXT NOT NULL,
    lifted_at    TIMESTAMPTZ,
    lifted_by    TEXT NOT NULL DEFAULT '',
    change_seq   BIGINT NOT NULL,
    PRIMARY KEY (book, enterprise, since)
);
