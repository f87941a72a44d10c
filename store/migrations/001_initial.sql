-- clausematch schema, version 1.
-- Domain objects are stored as a JSON document (`doc`, the store's own lossless record format,
-- see store/records.hpp and docs/privacy.md) next to the plain columns that queries filter on.
-- Timestamps are UTC ISO 8601 strings with milliseconds ("2026-11-23T12:00:00.000Z").

-- The secret that keys the API key hashes (libsodium crypto_generichash). One row.
CREATE TABLE server_secret (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  secret BLOB NOT NULL CHECK (length(secret) = 32)
);

CREATE TABLE api_keys (
  id INTEGER PRIMARY KEY,
  key_id TEXT NOT NULL UNIQUE,          -- public part of the token, used to find the row
  org TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('prescriber', 'facilitator', 'admin')),
  hash BLOB NOT NULL CHECK (length(hash) = 32),  -- keyed BLAKE2b of the whole token
  created_at TEXT NOT NULL,
  revoked_at TEXT
);

CREATE TABLE participants (
  id INTEGER PRIMARY KEY,
  org TEXT NOT NULL,                    -- prescriber organisation that owns the profile
  external_ref TEXT NOT NULL,
  status TEXT NOT NULL,
  commune_insee TEXT NOT NULL,
  doc TEXT NOT NULL CHECK (json_valid(doc)),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX participants_by_org ON participants (org, id);
CREATE UNIQUE INDEX participants_external_ref ON participants (org, external_ref) WHERE external_ref <> '';

CREATE TABLE contracts (
  id INTEGER PRIMARY KEY,
  org TEXT NOT NULL,                    -- facilitator organisation following the clause
  reference TEXT NOT NULL,
  status TEXT NOT NULL,
  doc TEXT NOT NULL CHECK (json_valid(doc)),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX contracts_by_org ON contracts (org, id);

CREATE TABLE openings (
  id INTEGER PRIMARY KEY,
  contract_id INTEGER NOT NULL REFERENCES contracts (id),
  status TEXT NOT NULL,
  doc TEXT NOT NULL CHECK (json_valid(doc)),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX openings_by_contract ON openings (contract_id, id);

-- Batch assignment runs and the proposals they produce.
CREATE TABLE batches (
  id INTEGER PRIMARY KEY,
  org TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed')),
  params TEXT NOT NULL CHECK (json_valid(params)),
  progress REAL NOT NULL DEFAULT 0,
  summary TEXT CHECK (summary IS NULL OR json_valid(summary)),
  error TEXT,
  created_at TEXT NOT NULL,
  started_at TEXT,
  finished_at TEXT
);
CREATE INDEX batches_by_org ON batches (org, id);

CREATE TABLE proposals (
  id INTEGER PRIMARY KEY,
  batch_id INTEGER NOT NULL REFERENCES batches (id),
  participant_id INTEGER NOT NULL REFERENCES participants (id),
  opening_id INTEGER NOT NULL REFERENCES openings (id),
  score REAL NOT NULL,
  details TEXT NOT NULL CHECK (json_valid(details)),
  decision TEXT NOT NULL DEFAULT 'pending' CHECK (decision IN ('pending', 'accepted', 'declined')),
  decided_by TEXT,
  decided_at TEXT,
  decision_reason TEXT
);
CREATE INDEX proposals_by_batch ON proposals (batch_id, id);

CREATE TABLE placements (
  id INTEGER PRIMARY KEY,
  participant_id INTEGER NOT NULL REFERENCES participants (id),
  opening_id INTEGER NOT NULL REFERENCES openings (id),
  proposal_id INTEGER REFERENCES proposals (id),
  status TEXT NOT NULL,
  doc TEXT NOT NULL CHECK (json_valid(doc)),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX placements_by_participant ON placements (participant_id);

-- Idempotency-Key on creates: the first response is kept and replayed for the same key and body.
CREATE TABLE idempotency_keys (
  api_key INTEGER NOT NULL REFERENCES api_keys (id),
  idem_key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status INTEGER NOT NULL,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (api_key, idem_key)
);

-- Every read (and write) of personal data: who, what, why, when. Append-only.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  request_id TEXT NOT NULL,
  api_key INTEGER,
  org TEXT NOT NULL,
  role TEXT NOT NULL,
  action TEXT NOT NULL,                 -- read, create, update, withdraw, shortlist, batch_result...
  object_type TEXT NOT NULL,            -- participant
  object_id INTEGER NOT NULL,
  purpose TEXT NOT NULL                 -- the route that needed it, e.g. "GET /v1/participants/{id}"
);
CREATE INDEX audit_by_object ON audit_log (object_type, object_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
