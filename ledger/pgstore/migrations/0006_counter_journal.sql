INSERT INTO ledger_counters (name, value) VALUES ('journal', 0);
