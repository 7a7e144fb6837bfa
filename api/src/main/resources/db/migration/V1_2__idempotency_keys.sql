-- Responses to POST requests that carried an Idempotency-Key, replayed for 24 hours.
-- A row without a status is a request still in progress.
CREATE TABLE idempotency_keys (
    scope         TEXT        NOT NULL,
    idem_key      TEXT        NOT NULL,
    request_hash  TEXT        NOT NULL,
    status        INTEGER,
    content_type  TEXT,
    location      TEXT,
    etag          TEXT,
    body          BYTEA,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, idem_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
