-- The number customs assigned to a document, from its receipt (a gate pass's
-- 核放单编号 from SAS221, e.g. Z3111I240728000000000003); empty until then.
ALTER TABLE zone_documents ADD COLUMN customs_no TEXT NOT NULL DEFAULT '';
