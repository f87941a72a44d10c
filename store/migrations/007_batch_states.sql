-- What an incremental batch run over HTTP starts from (POST /v1/batches with "previous": true,
-- docs/assignment.md "Incremental runs"): the state of each organisation's last succeeded run
-- (service/batch_state.hpp's state.bin format), one per organisation. The state itself is a file
-- in the folder beside the database (store::BatchStates::Dir: about 6.6 bytes a kept pair,
-- 165 MB on a region, beyond SQLite's 1 GB blob limit on the national preset); this row names it.
-- The file is written under a temporary name, renamed and synced before its row is committed;
-- files no row names are removed (a crash between the two leaves one; no row names a half
-- file). Pruning the run deletes the row.
CREATE TABLE batch_states (
  org TEXT PRIMARY KEY,
  batch_id INTEGER NOT NULL UNIQUE REFERENCES batches (id) ON DELETE CASCADE,
  file TEXT NOT NULL,
  bytes INTEGER NOT NULL CHECK (bytes >= 0),
  created_at TEXT NOT NULL
);
