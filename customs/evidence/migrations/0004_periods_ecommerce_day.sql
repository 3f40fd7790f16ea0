-- The day the seal read the book's e-commerce lists
-- (ecommerce.ListMark.Day): the next period's seal also records the lists
-- whose return lapsed after it. NULL before this column.
ALTER TABLE evid_periods ADD COLUMN ecommerce_day DATE;
