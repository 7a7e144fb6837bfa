-- Webhooks (API.md §13): the webhooks as they now are (secret sealed under the project's data key),
-- the durable outbox of deliveries (one row per webhook and event, whatever node or retry made it)
-- and the log of delivery attempts. Attempts themselves are executions of the persistent scheduler
-- (scheduled_tasks, task "webhook-delivery", instance = delivery id).
CREATE TABLE webhooks (
    id              TEXT        PRIMARY KEY,
    project_id      TEXT        NOT NULL,
    organization_id TEXT        NOT NULL,
    url             TEXT        NOT NULL,
    events          TEXT[]      NOT NULL,
    sealed_secret   TEXT        NOT NULL,
    active          BOOLEAN     NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    version         BIGINT      NOT NULL
);
CREATE INDEX webhooks_project ON webhooks (project_id);

CREATE TABLE webhook_deliveries (
    id          TEXT        PRIMARY KEY,
    webhook_id  TEXT        NOT NULL,
    project_id  TEXT        NOT NULL,
    event       TEXT        NOT NULL,
    event_id    TEXT        NOT NULL,
    position    BIGINT      NOT NULL,
    body        TEXT        NOT NULL,
    status      TEXT        NOT NULL,
    attempts    INT         NOT NULL DEFAULT 0,
    created_at  TIMESTAMPTZ NOT NULL,
    CONSTRAINT webhook_deliveries_once UNIQUE (webhook_id, event_id)
);

CREATE TABLE webhook_attempts (
    delivery_id     TEXT        NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempt         INT         NOT NULL,
    webhook_id      TEXT        NOT NULL,
    status_code     INT,
    error           TEXT,
    response_body   TEXT,
    duration_ms     BIGINT      NOT NULL,
    at              TIMESTAMPTZ NOT NULL,
    next_attempt_at TIMESTAMPTZ,
    PRIMARY KEY (delivery_id, attempt)
);
CREATE INDEX webhook_attempts_webhook ON webhook_attempts (webhook_id, at DESC);
