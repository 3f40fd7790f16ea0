-- The sequence continues after every number the counter rows gave, so no
-- number given before is given again.
SELECT setval('zone_document_numbers',
    (SELECT COALESCE(max(value), 0) FROM zone_counters WHERE name <> 'taxable-event') + 1, false);
