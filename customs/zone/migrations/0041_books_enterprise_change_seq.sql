-- The book's document change number of the last change of its enterprise
-- (zone_enterprises: registered, suspended or resumed) that the book's
-- evidence has to record: set with the book's registration and, for each
-- of the enterprise's books, in the transaction of every change of the
-- enterprise, so a book's evidence seal records the enterprise as it then
-- stands.
ALTER TABLE zone_books ADD COLUMN enterprise_change_seq BIGINT NOT NULL DEFAULT 0;
