-- Lots whose goods were consumed or processed in the zone: such goods can
-- no longer get a certificate of non-manipulation (未再加工证明).
CREATE TABLE zone_lot_marks (
    book   TEXT NOT NULL,
    seq    INT NOT NULL,
    lot    TEXT NOT NULL,
    mark   TEXT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (book, seq, lot, source)
);
