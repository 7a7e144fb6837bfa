-- Account security and platform administration (issue 13, API.md §3 and §14). Every table here is
-- a read model written inline by its projection and can be rebuilt from the event store.

-- Email verification and TOTP two-factor state of each user. The TOTP secrets are sealed under the
-- user's data key (pd1:…), so erasing the account shreds them too.
ALTER TABLE users ADD COLUMN email_verified_at   TIMESTAMPTZ;
ALTER TABLE users ADD COLUMN totp_enabled        BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE users ADD COLUMN totp_secret         TEXT;
ALTER TABLE users ADD COLUMN totp_pending_secret TEXT;

-- Which user an open single-use token (password reset, email verification, magic link, MFA
-- challenge) belongs to, by its SHA-256. The User aggregate decides whether it is still good
-- (unused, unexpired); this index only finds the aggregate to ask.
CREATE TABLE account_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT        NOT NULL,
    purpose    TEXT        NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX account_tokens_user_id_idx ON account_tokens (user_id);

-- The platform settings (one row) as the PlatformSettings aggregate last set them. No row: the
-- configuration's values hold.
CREATE TABLE platform_settings (
    id                  TEXT PRIMARY KEY,
    maintenance_mode    BOOLEAN     NOT NULL,
    registration_open   BOOLEAN     NOT NULL,
    single_session_mode BOOLEAN     NOT NULL,
    lockout_max_attempts INTEGER    NOT NULL,
    lockout_duration_ms BIGINT      NOT NULL,
    email_provider      TEXT        NOT NULL,
    email_from          TEXT,
    app_name            TEXT,
    app_url             TEXT,
    updated_at          TIMESTAMPTZ NOT NULL,
    version             BIGINT      NOT NULL
);
