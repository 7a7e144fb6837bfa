-- The audit trail: one entry per event, hash-chained (see AuditChain in the shared kernel for the
-- exact rule). Append-only at the database level: UPDATE, DELETE and TRUNCATE are refused.
CREATE TABLE audit_entries (
    sequence        BIGINT PRIMARY KEY,
    id              TEXT        NOT NULL UNIQUE,
    global_index    BIGINT      NOT NULL UNIQUE,
    occurred_at     TIMESTAMPTZ NOT NULL,
    organization_id TEXT,
    project_id      TEXT,
    actor_type      TEXT,
    actor_id        TEXT,
    impersonator_id TEXT,
    action          TEXT        NOT NULL,
    resource_type   TEXT        NOT NULL,
    resource_id     TEXT        NOT NULL,
    request_id      TEXT,
    ip              TEXT,
    user_agent      TEXT,
    -- canonical JSON text, exactly as hashed (jsonb would reorder and renormalise it)
    changes         TEXT        NOT NULL,
    prev_hash       TEXT        NOT NULL,
    hash            TEXT        NOT NULL
);
CREATE INDEX audit_entries_organization ON audit_entries (organization_id, sequence);
CREATE INDEX audit_entries_project ON audit_entries (project_id, sequence);
CREATE INDEX audit_entries_actor ON audit_entries (actor_id, sequence);
CREATE INDEX audit_entries_resource ON audit_entries (resource_type, resource_id, sequence);
CREATE INDEX audit_entries_action ON audit_entries (action, sequence);
CREATE INDEX audit_entries_occurred ON audit_entries (occurred_at);

CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_entries is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_entries_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_entries
    FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only();

CREATE TRIGGER audit_entries_no_truncate
    BEFORE TRUNCATE ON audit_entries
    FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only();
