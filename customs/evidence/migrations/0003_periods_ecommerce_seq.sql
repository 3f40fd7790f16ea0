-- How far the seal read the book's e-commerce lists
-- (ecommerce.ListMark.Seq): the next period's seal records only the lists
-- changed after it. 0 (periods sealed before this column) reads them all.
ALTER TABLE evid_periods ADD COLUMN ecommerce_seq BIGINT NOT NULL DEFAULT 0;
