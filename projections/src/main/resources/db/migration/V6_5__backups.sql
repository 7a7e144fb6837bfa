-- Backups (API.md §9). Runs are a read model of the BackupRun aggregate: one row per run, updated as
-- it goes (the run's own history is its events). Schedules are a read model of the projects' schedule
-- events; the persistent scheduler's own table is V6_6.

CREATE TABLE backup_runs (
    id                  TEXT        PRIMARY KEY,
    project_id          TEXT        NOT NULL,
    organization_id     TEXT        NOT NULL,
    status              TEXT        NOT NULL,
    cut_position        BIGINT      NOT NULL,
    cut_at              TIMESTAMPTZ NOT NULL,
    scheduled           BOOLEAN     NOT NULL,
    event_count         BIGINT,
    size_bytes          BIGINT,
    sha256              TEXT,
    error               TEXT,
    started_at          TIMESTAMPTZ NOT NULL,
    finished_at         TIMESTAMPTZ,
    started_by_type     TEXT,
    started_by_id       TEXT,
    restored_project_id TEXT,
    restore_status      TEXT,
    restore_error       TEXT,
    -- set by retention: the archive is gone and the run is no longer listed (its events stay)
    archive_deleted_at  TIMESTAMPTZ,
    version             BIGINT      NOT NULL
);
CREATE INDEX backup_runs_project ON backup_runs (project_id, started_at DESC) WHERE archive_deleted_at IS NULL;

CREATE TABLE backup_schedules (
    project_id      TEXT        PRIMARY KEY,
    organization_id TEXT        NOT NULL,
    cron            TEXT        NOT NULL,
    retention_count INTEGER     NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
