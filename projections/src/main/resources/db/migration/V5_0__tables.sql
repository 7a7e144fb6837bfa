-- Managed tables: the schema read model (versioned for time travel) and the database roles under
-- which anonymous and authenticated data-API callers run, so that PostgreSQL's row-level security
-- decides what they may read and write. Roles are cluster-wide: create them once.
CREATE TABLE table_versions (
    id              TEXT        NOT NULL,
    project_id      TEXT        NOT NULL,
    organization_id TEXT        NOT NULL,
    group_id        TEXT        NOT NULL,
    schema_name     TEXT        NOT NULL,
    name            TEXT        NOT NULL,
    columns         TEXT        NOT NULL,
    indexes         TEXT        NOT NULL,
    policies        TEXT        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    version         BIGINT      NOT NULL,
    valid_from      TIMESTAMPTZ NOT NULL,
    valid_to        TIMESTAMPTZ
);
CREATE UNIQUE INDEX table_versions_current ON table_versions (id) WHERE valid_to IS NULL;
CREATE UNIQUE INDEX table_versions_name_key ON table_versions (group_id, name) WHERE valid_to IS NULL;
CREATE INDEX table_versions_project ON table_versions (project_id, valid_from);

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bdb_anon') THEN
        CREATE ROLE bdb_anon NOLOGIN;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bdb_authenticated') THEN
        CREATE ROLE bdb_authenticated NOLOGIN;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;

-- ":current_user_id" in a policy: the row id of the authenticated data-API caller, or null.
CREATE FUNCTION baserdb_current_user_id() RETURNS uuid LANGUAGE sql STABLE AS $$
    SELECT nullif(current_setting('baserdb.user_id', true), '')::uuid
$$;
