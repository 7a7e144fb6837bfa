-- Credentials (API.md §8), masked: what lists and single reads show, versioned for time travel.
-- sealed_secret is sealed under the project's data key (the password of a postgres_readonly role,
-- the URI of an external credential); the plaintext is never stored. The login roles themselves are
-- PostgreSQL roles, made by the credentials projection through the role manager.
CREATE TABLE credential_versions (
    id              TEXT        NOT NULL,
    project_id      TEXT        NOT NULL,
    organization_id TEXT        NOT NULL,
    name            TEXT        NOT NULL,
    kind            TEXT        NOT NULL,
    reveal_policy   TEXT        NOT NULL,
    login_role      TEXT,
    uri_masked      TEXT,
    sealed_secret   TEXT,
    status          TEXT        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    rotated_at      TIMESTAMPTZ,
    version         BIGINT      NOT NULL,
    valid_from      TIMESTAMPTZ NOT NULL,
    valid_to        TIMESTAMPTZ
);
CREATE UNIQUE INDEX credential_versions_current ON credential_versions (id) WHERE valid_to IS NULL;
CREATE INDEX credential_versions_project ON credential_versions (project_id, valid_from);
CREATE INDEX credential_versions_period ON credential_versions (id, valid_from);
