CREATE INDEX zone_taxable_events_book ON zone_taxable_events (book, event_date, id);
