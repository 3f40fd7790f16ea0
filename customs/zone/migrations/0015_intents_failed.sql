-- An intent whose journal or finishing step failed for a permanent reason
-- (a database refusal that no retry can change, such as text PostgreSQL
-- cannot store) is kept, marked failed with the reason, instead of being
-- tried again at every start; the documents it had marked pending are
-- released and keep the reason in failure (shown to their owners; cleared
-- by their next change). Operators find them with
--   SELECT id, kind, failed_at, failure FROM zone_intents WHERE failed_at IS NOT NULL;
ALTER TABLE zone_intents ADD COLUMN failed_at TIMESTAMPTZ;
ALTER TABLE zone_intents ADD COLUMN failure TEXT NOT NULL DEFAULT '';
ALTER TABLE zone_documents ADD COLUMN failure TEXT NOT NULL DEFAULT '';
