-- A book's taxable events recorded after a change number (the evidence
-- seal's read).
CREATE INDEX zone_taxable_events_book_changes ON zone_taxable_events (book, change_seq);
