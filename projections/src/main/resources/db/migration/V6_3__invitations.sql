-- Invitations to join an organization (API.md §4): nobody becomes a member without accepting.
-- One row per invitation, changed in place as the invitee answers (the events keep the history).
-- Written inline by the organizations projection, so an invitee sees it on the next request.
CREATE TABLE member_invitations (
    id              TEXT        PRIMARY KEY,
    organization_id TEXT        NOT NULL,
    user_id         TEXT        NOT NULL,
    role            TEXT        NOT NULL,
    invited_by      TEXT        NOT NULL,
    status          TEXT        NOT NULL CHECK (status IN ('pending', 'accepted', 'declined')),
    created_at      TIMESTAMPTZ NOT NULL,
    expires_at      TIMESTAMPTZ NOT NULL,
    decided_at      TIMESTAMPTZ,
    version         BIGINT      NOT NULL
);
CREATE INDEX member_invitations_user ON member_invitations (user_id, status);
CREATE INDEX member_invitations_organization ON member_invitations (organization_id);
