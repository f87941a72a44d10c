-- Browser sessions of the web console (api/http/web_routes.cpp, docs/privacy.md "Browser sessions"):
-- an API key exchanged for a cookie. Only a hash of the cookie's token is kept. A session acts as
-- its key (same role, same organisation) and ends with it: a revoked key ends its sessions. Times
-- are Unix seconds (UTC); a session ends at expires_at, or after an idle period since last_seen_at
-- (the server's policy), or at logout (row deleted).
CREATE TABLE web_sessions (
  id INTEGER PRIMARY KEY,
  token_hash BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
  api_key INTEGER NOT NULL REFERENCES api_keys (id),
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX web_sessions_by_expiry ON web_sessions (expires_at);
