-- Identity read models, written inline (same transaction as the events) by the users and
-- sessions processing groups. All can be dropped and rebuilt from the event store.

CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    email          TEXT        NOT NULL,
    password_hash  TEXT,
    display_name   TEXT,
    locale         TEXT,
    platform_roles TEXT[]      NOT NULL DEFAULT '{}',
    status         TEXT        NOT NULL,
    failed_logins  INTEGER     NOT NULL DEFAULT 0,
    locked_until   TIMESTAMPTZ,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    version        BIGINT      NOT NULL
);
-- The set rule "one account per email" lives here: a duplicate registration rolls back.
CREATE UNIQUE INDEX users_email_key ON users (email);

CREATE TABLE sessions (
    id                 TEXT PRIMARY KEY,
    user_id            TEXT        NOT NULL,
    refresh_token_hash TEXT        NOT NULL,
    user_agent         TEXT,
    ip                 TEXT,
    created_at         TIMESTAMPTZ NOT NULL,
    last_used_at       TIMESTAMPTZ NOT NULL,
    expires_at         TIMESTAMPTZ NOT NULL,
    revoked_at         TIMESTAMPTZ,
    revoke_reason      TEXT,
    version            BIGINT      NOT NULL
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);

CREATE TABLE refresh_tokens (
    token_hash TEXT PRIMARY KEY,
    session_id TEXT NOT NULL
);
CREATE INDEX refresh_tokens_session_id_idx ON refresh_tokens (session_id);
