-- The enterprises a platform principal may act for.
CREATE TABLE access_principal_links (
    principal_id TEXT NOT NULL REFERENCES access_principals (id),
    enterprise   TEXT NOT NULL,
    PRIMARY KEY (principal_id, enterprise)
);
