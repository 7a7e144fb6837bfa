-- Storage (API.md §11) and sites and deploys (API.md §12). The bytes live in the content-addressed
-- blob store (BASERDB_DATA_DIR/blobs); these read models name them by SHA-256.

-- Buckets, versioned for time travel; a name is unique among a project's current buckets.
CREATE TABLE bucket_versions (
    id                 TEXT        NOT NULL,
    project_id         TEXT        NOT NULL,
    organization_id    TEXT        NOT NULL,
    name               TEXT        NOT NULL,
    is_public          BOOLEAN     NOT NULL,
    max_file_size      BIGINT      NOT NULL,
    allowed_mime_types TEXT,
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL,
    version            BIGINT      NOT NULL,
    valid_from         TIMESTAMPTZ NOT NULL,
    valid_to           TIMESTAMPTZ
);
CREATE UNIQUE INDEX bucket_versions_current ON bucket_versions (id) WHERE valid_to IS NULL;
CREATE UNIQUE INDEX bucket_versions_name ON bucket_versions (project_id, name) WHERE valid_to IS NULL;
CREATE INDEX bucket_versions_period ON bucket_versions (id, valid_from);

-- The files of buckets, versioned: an overwrite closes one version and opens the next, so a list as
-- of an instant is one indexed query.
CREATE TABLE storage_file_versions (
    bucket_id       TEXT        NOT NULL,
    project_id      TEXT        NOT NULL,
    name            TEXT        NOT NULL,
    size            BIGINT      NOT NULL,
    sha256          TEXT        NOT NULL,
    content_type    TEXT        NOT NULL,
    uploaded_at     TIMESTAMPTZ NOT NULL,
    version         BIGINT      NOT NULL,
    valid_from      TIMESTAMPTZ NOT NULL,
    valid_to        TIMESTAMPTZ
);
CREATE UNIQUE INDEX storage_file_versions_current ON storage_file_versions (bucket_id, name) WHERE valid_to IS NULL;
CREATE INDEX storage_file_versions_period ON storage_file_versions (bucket_id, valid_from);

-- Sites, versioned: which deploy is live at any instant. One current site per project; a subdomain
-- belongs to one current site on the whole platform.
CREATE TABLE site_versions (
    id              TEXT        NOT NULL,
    project_id      TEXT        NOT NULL,
    organization_id TEXT        NOT NULL,
    subdomain       TEXT        NOT NULL,
    spa_mode        BOOLEAN     NOT NULL,
    live_deploy_id  TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    version         BIGINT      NOT NULL,
    valid_from      TIMESTAMPTZ NOT NULL,
    valid_to        TIMESTAMPTZ
);
CREATE UNIQUE INDEX site_versions_current ON site_versions (id) WHERE valid_to IS NULL;
CREATE UNIQUE INDEX site_versions_subdomain ON site_versions (subdomain) WHERE valid_to IS NULL;
CREATE UNIQUE INDEX site_versions_project ON site_versions (project_id) WHERE valid_to IS NULL;
CREATE INDEX site_versions_period ON site_versions (id, valid_from);

-- Deploys: the facts of each one with their instants; its status at an instant follows from them and
-- from the site's live deploy at that instant.
CREATE TABLE deploys (
    id                 TEXT        PRIMARY KEY,
    site_id            TEXT        NOT NULL,
    project_id         TEXT        NOT NULL,
    organization_id    TEXT        NOT NULL,
    label              TEXT,
    actor_type         TEXT,
    actor_id           TEXT,
    created_at         TIMESTAMPTZ NOT NULL,
    finalized_at       TIMESTAMPTZ,
    first_published_at TIMESTAMPTZ,
    version            BIGINT      NOT NULL
);
CREATE INDEX deploys_site ON deploys (site_id, created_at);

CREATE TABLE deploy_files (
    deploy_id    TEXT   NOT NULL,
    path         TEXT   NOT NULL,
    sha256       TEXT   NOT NULL,
    size         BIGINT NOT NULL,
    content_type TEXT   NOT NULL,
    PRIMARY KEY (deploy_id, path)
);
