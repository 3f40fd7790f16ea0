-- ListTokens pages a principal's tokens oldest first.
CREATE INDEX access_tokens_principal ON access_tokens (principal_id, created_at, id);
