-- Principals: the identities that call the API. role is one of admin,
-- customs, enterprise, platform; enterprise is set for (and only for) the
-- enterprise role. disabled_at is set once, by DisablePrincipal.
CREATE TABLE access_principals (
    id           TEXT PRIMARY KEY,
    display_name TEXT NOT NULL DEFAULT '',
    role         TEXT NOT NULL CHECK (role IN ('admin', 'customs', 'enterprise', 'platform')),
    enterprise   TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL,
    disabled_at  TIMESTAMPTZ
);
