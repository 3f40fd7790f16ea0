-- The sequence goes on after the last ID the counter gave out.
SELECT setval('ledger_journal_ids', (SELECT value + 1 FROM ledger_counters WHERE name = 'journal'), false);
