-- The caller's request id of a token (IssueToken request_id): issuing again
-- under it replaces that token. NULL: issued without one.
ALTER TABLE access_tokens ADD COLUMN request_id TEXT;
