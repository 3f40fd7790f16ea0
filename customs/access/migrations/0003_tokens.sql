-- Bearer tokens. Only the SHA-256 of a token is stored, never the token.
CREATE TABLE access_tokens (
    id           TEXT PRIMARY KEY,
    principal_id TEXT NOT NULL REFERENCES access_principals (id),
    token_hash   BYTEA NOT NULL UNIQUE,
    description  TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);
