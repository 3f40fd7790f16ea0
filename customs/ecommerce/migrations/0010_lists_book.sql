-- The book a list's goods left (its body's Book), as a column, so that a
-- book's lists are found without reading every list's JSON.
ALTER TABLE ecom_lists ADD COLUMN book TEXT NOT NULL DEFAULT '';
