-- Taxable events recorded before 0021: change number 1, as for documents.
UPDATE zone_taxable_events SET change_seq = 1;
