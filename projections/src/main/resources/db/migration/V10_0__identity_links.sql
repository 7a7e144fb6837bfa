-- Accounts linked to a user of an external identity provider (identity mode keycloak, docs/keycloak.md),
-- written inline by the users processing group from UserLinkedToIdentityProvider. The primary key is
-- the set rule "one account per provider user": a second account for the same subject rolls back.
CREATE TABLE identity_links (
    provider  TEXT        NOT NULL,
    subject   TEXT        NOT NULL,
    user_id   TEXT        NOT NULL,
    linked_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (provider, subject)
);
-- One link per provider and account.
CREATE UNIQUE INDEX identity_links_user_key ON identity_links (provider, user_id);
