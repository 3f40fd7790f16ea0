-- The sequence continues after every number given so far.
SELECT setval('zone_taxable_event_ids', GREATEST(
    (SELECT COALESCE(max(value), 0) FROM zone_counters WHERE name = 'taxable-event'),
    (SELECT COALESCE(max(id), 0) FROM zone_taxable_events)) + 1, false);
