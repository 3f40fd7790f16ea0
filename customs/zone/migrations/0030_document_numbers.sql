-- The 9-digit part of the zone's own document numbers (lists QD…, passes
-- HF…, forms: prefix + customs office + year + direction + 9 digits) comes
-- from one sequence instead of a zone_counters row per prefix, office,
-- year and direction. A row was held until the document's transaction
-- committed, so every enterprise creating a document of one kind queued on
-- it. Numbers stay unique; they no longer restart each year and may have
-- gaps (a creation retried or rolled back leaves its number unused).
CREATE SEQUENCE zone_document_numbers;
