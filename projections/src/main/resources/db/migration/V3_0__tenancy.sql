-- Tenancy read models. Time-travelled resources are kept as versions: every change closes the
-- current version (valid_to) and opens a new one (valid_from), so "as of T" is the version whose
-- period holds T, and "now" is the version with no valid_to.

CREATE TABLE organization_versions (
    id          TEXT        NOT NULL,
    slug        TEXT        NOT NULL,
    name        TEXT        NOT NULL,
    status      TEXT        NOT NULL,
    created_by  TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    archived_at TIMESTAMPTZ,
    version     BIGINT      NOT NULL,
    valid_from  TIMESTAMPTZ NOT NULL,
    valid_to    TIMESTAMPTZ
);
CREATE UNIQUE INDEX organization_versions_current ON organization_versions (id) WHERE valid_to IS NULL;
-- The set rule "slugs are unique" (archived organizations keep theirs, for the audit).
CREATE UNIQUE INDEX organization_versions_slug_key ON organization_versions (slug) WHERE valid_to IS NULL;
CREATE INDEX organization_versions_period ON organization_versions (id, valid_from);

CREATE TABLE membership_versions (
    organization_id TEXT        NOT NULL,
    user_id         TEXT        NOT NULL,
    role            TEXT        NOT NULL,
    joined_at       TIMESTAMPTZ NOT NULL,
    version         BIGINT      NOT NULL,
    valid_from      TIMESTAMPTZ NOT NULL,
    valid_to        TIMESTAMPTZ
);
CREATE UNIQUE INDEX membership_versions_current ON membership_versions (organization_id, user_id) WHERE valid_to IS NULL;
CREATE INDEX membership_versions_user ON membership_versions (user_id) WHERE valid_to IS NULL;
CREATE INDEX membership_versions_period ON membership_versions (organization_id, valid_from);

CREATE TABLE project_versions (
    id               TEXT        NOT NULL,
    organization_id  TEXT        NOT NULL,
    name             TEXT        NOT NULL,
    slug             TEXT        NOT NULL,
    service_key_hash TEXT        NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    version          BIGINT      NOT NULL,
    valid_from       TIMESTAMPTZ NOT NULL,
    valid_to         TIMESTAMPTZ
);
CREATE UNIQUE INDEX project_versions_current ON project_versions (id) WHERE valid_to IS NULL;
CREATE UNIQUE INDEX project_versions_slug_key ON project_versions (organization_id, slug) WHERE valid_to IS NULL;
CREATE UNIQUE INDEX project_versions_service_key ON project_versions (service_key_hash) WHERE valid_to IS NULL;
CREATE INDEX project_versions_period ON project_versions (organization_id, valid_from);

CREATE TABLE group_versions (
    id              TEXT        NOT NULL,
    project_id      TEXT        NOT NULL,
    organization_id TEXT        NOT NULL,
    name            TEXT        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    version         BIGINT      NOT NULL,
    valid_from      TIMESTAMPTZ NOT NULL,
    valid_to        TIMESTAMPTZ
);
CREATE UNIQUE INDEX group_versions_current ON group_versions (id) WHERE valid_to IS NULL;
CREATE UNIQUE INDEX group_versions_name_key ON group_versions (project_id, name) WHERE valid_to IS NULL;
CREATE INDEX group_versions_period ON group_versions (project_id, valid_from);

CREATE TABLE api_tokens (
    id              TEXT PRIMARY KEY,
    user_id         TEXT        NOT NULL,
    name            TEXT        NOT NULL,
    scopes          TEXT[]      NOT NULL,
    organization_id TEXT,
    expires_at      TIMESTAMPTZ,
    token_hash      TEXT        NOT NULL UNIQUE,
    created_at      TIMESTAMPTZ NOT NULL,
    revoked_at      TIMESTAMPTZ,
    version         BIGINT      NOT NULL
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE invitations (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT        NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    accepted_at TIMESTAMPTZ
);
CREATE INDEX invitations_user ON invitations (user_id);
