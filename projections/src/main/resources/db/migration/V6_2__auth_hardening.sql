-- Authentication hardening (issue 8).

-- Failed sign-ins of the data login (API.md §7), counted per users table and per row (or per
-- identifier that matches no row, so unknown and known identifiers answer alike). One statement
-- both counts a failure and decides the lock, so parallel guesses cannot pass the limit.
CREATE TABLE login_failures (
    realm        TEXT        NOT NULL,
    subject      TEXT        NOT NULL,
    failures     INTEGER     NOT NULL,
    locked_until TIMESTAMPTZ,
    updated_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (realm, subject)
);

-- A destroyed data key leaves a tombstone (no key, the time of destruction), so that nothing can
-- make a new key for an erased subject: creating a key is an insert that the tombstone blocks.
ALTER TABLE data_keys ALTER COLUMN sealed_key DROP NOT NULL;
ALTER TABLE data_keys ADD COLUMN destroyed_at TIMESTAMPTZ;
