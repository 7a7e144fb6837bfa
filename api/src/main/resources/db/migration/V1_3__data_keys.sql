-- Per-subject data keys (AES-256), each sealed under the master key. Deleting a row crypto-shreds
-- every value sealed under that key, in the event store and everywhere else.
CREATE TABLE data_keys (
    subject_id TEXT PRIMARY KEY,
    sealed_key BYTEA       NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
