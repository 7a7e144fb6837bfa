-- Access-token signing keys (Ed25519). The private half is sealed with AES-GCM under the master
-- key; the newest unretired key signs, every unretired key verifies and is published as JWKS.
CREATE TABLE signing_keys (
    kid                 TEXT PRIMARY KEY,
    public_jwk          TEXT        NOT NULL,
    sealed_private_jwk  BYTEA       NOT NULL,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    retired_at          TIMESTAMPTZ
);
