-- The records of a sealed period's evidence as they were sealed, in chain
-- order: the export reads them back, so documents that change after the
-- seal do not change what was sealed.
CREATE TABLE evid_records (
    book    TEXT NOT NULL,
    through DATE NOT NULL,
    seq     BIGINT NOT NULL,
    kind    TEXT NOT NULL,
    key     TEXT NOT NULL,
    record  TEXT NOT NULL,
    chain   TEXT NOT NULL,
    PRIMARY KEY (book, through, seq)
);
