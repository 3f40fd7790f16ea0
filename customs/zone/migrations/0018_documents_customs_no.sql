-- The number customs assigned to a document (a verification list's 保税清单编号 from its INV101
-- receipt, INV201), NULL until a receipt brings it; unique per kind, so two documents never
-- hold the same customs number. Lists are found by it (GetList, ListLists).
ALTER TABLE zone_documents ADD COLUMN IF NOT EXISTS customs_no TEXT;
CREATE UNIQUE INDEX IF NOT EXISTS zone_documents_customs_no ON zone_documents (kind, customs_no);
