-- Audit entries wait here, outside the chain, while an event with a lower global index may still
-- commit (an out-of-order commit leaves a gap the audit processor's token knows). They join the chain
-- in global-index order once the gap is filled or can no longer be (its transaction ended without it).
-- Columns as audit_entries, less the chain's own (sequence, prev_hash, hash).
CREATE TABLE audit_pending (
    global_index    BIGINT PRIMARY KEY,
    id              TEXT        NOT NULL UNIQUE,
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
    changes         TEXT        NOT NULL,
    -- the transactions in progress (other than the writer's own) when the entry was held back: a gap
    -- below it can only still be filled by one of them
    running         xid8[]      NOT NULL
);

-- The transactions in progress now, other than the caller's own.
CREATE FUNCTION audit_running_transactions() RETURNS xid8[] LANGUAGE sql VOLATILE AS $$
    SELECT coalesce(array_agg(x), '{}')
    FROM pg_snapshot_xip(pg_current_snapshot()) AS x
    WHERE x IS DISTINCT FROM pg_current_xact_id_if_assigned()
$$;
