-- Attestations (service/attestation.hpp, docs/attestations.md): each facilitator organisation signs
-- the attestations it issues with an Ed25519 key created on first use. The secret key never leaves
-- this table (no command or route returns it); rotating retires the active key, which stays here so
-- that the attestations it signed still verify. At most one active (not retired) key per organisation.
CREATE TABLE signing_keys (
  id INTEGER PRIMARY KEY,
  org TEXT NOT NULL,
  key_id TEXT NOT NULL UNIQUE,
  public_key BLOB NOT NULL CHECK (length(public_key) = 32),
  secret_key BLOB NOT NULL CHECK (length(secret_key) = 64),
  created_at TEXT NOT NULL,
  retired_at TEXT
);
CREATE UNIQUE INDEX signing_keys_active ON signing_keys (org) WHERE retired_at IS NULL;
-- The key of the pseudonyms an organisation's attestations show (service/pseudonym.hpp's scheme):
-- 32 random bytes made on first use and never rotated, so that a person keeps one pseudonym across
-- the monthly and final attestations of the organisation.
CREATE TABLE attestation_pseudonym_keys (
  org TEXT PRIMARY KEY,
  key BLOB NOT NULL CHECK (length(key) = 32),
  created_at TEXT NOT NULL
);
