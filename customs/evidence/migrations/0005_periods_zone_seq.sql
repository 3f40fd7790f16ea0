-- How far the seal read the book's zone documents and taxable events
-- (zone.DocMark): the next period's seal records only those changed after
-- it. 0 (periods sealed before this column) reads them all.
ALTER TABLE evid_periods ADD COLUMN zone_seq BIGINT NOT NULL DEFAULT 0;
