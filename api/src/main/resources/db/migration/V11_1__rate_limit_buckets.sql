-- The data API's rate-limit buckets when every node shares them (BASERDB_DATA_RATE_LIMIT_STORE=postgres):
-- Bucket4j's PostgreSQL layout, one row per project and caller, its state serialized by Bucket4j.
CREATE TABLE rate_limit_buckets (
    id         TEXT PRIMARY KEY,
    state      BYTEA,
    expires_at BIGINT
);
CREATE INDEX rate_limit_buckets_expiry ON rate_limit_buckets (expires_at);
