-- Signed audit checkpoints (API.md §10): every minute the platform signs where the audit trail
-- stands — {position, count, head_hash, at} — with an Ed25519 key of its own, so a rewrite of
-- both the event store and the audit table up to a checkpoint no longer goes unnoticed.

-- The checkpoint signing key: never an access-token key (those are in signing_keys). The private
-- half is sealed under the master key; the public half is published in /.well-known/jwks.json.
CREATE TABLE audit_checkpoint_keys (
    kid                TEXT        PRIMARY KEY,
    public_jwk         TEXT        NOT NULL,
    sealed_private_jwk BYTEA       NOT NULL,
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE audit_checkpoints (
    id        BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- the audit processor's processed global index: every event up to it has its entry
    position  BIGINT      NOT NULL,
    -- the number of audit entries then (the highest sequence), and the hash of that entry
    count     BIGINT      NOT NULL,
    head_hash TEXT,
    at        TIMESTAMPTZ NOT NULL,
    kid       TEXT        NOT NULL REFERENCES audit_checkpoint_keys (kid),
    -- JWS compact serialization (EdDSA) whose payload is the canonical JSON of the four fields
    signature TEXT        NOT NULL
);

CREATE FUNCTION audit_checkpoints_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_checkpoints_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_checkpoints
    FOR EACH ROW EXECUTE FUNCTION audit_checkpoints_append_only();

CREATE TRIGGER audit_checkpoints_no_truncate
    BEFORE TRUNCATE ON audit_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION audit_checkpoints_append_only();
