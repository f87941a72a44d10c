-- Territories (issue 17): the départements each organisation covers, set by an admin
-- (PUT /v1/organisations/{org}/territory, `clausematch orgs territory`). A facilitator's contracts
-- and openings lie inside its territory, and it is shown only participants of prescribers whose
-- territory meets its own (docs/privacy.md, "Territories"). '*' stands for every département. An
-- organisation without a row covers nothing.
CREATE TABLE org_territories (
  org TEXT NOT NULL,
  departement TEXT NOT NULL,            -- a COG département code ("59", "2A", "974") or '*'
  PRIMARY KEY (org, departement)
) WITHOUT ROWID;
CREATE INDEX org_territories_by_departement ON org_territories (departement, org);

-- Organisations that exist when the migration runs keep what they could reach: every département,
-- until an admin narrows it. Organisations created afterwards start with none.
INSERT OR IGNORE INTO org_territories (org, departement)
  SELECT org, '*' FROM api_keys
  UNION SELECT org, '*' FROM participants
  UNION SELECT org, '*' FROM contracts
  UNION SELECT org, '*' FROM batches;

-- The opening a shortlist read was made for: a facilitator records the hire of a person only on an
-- opening it was shown that person for (Session::ShownAsCandidate). Older rows have none.
ALTER TABLE audit_log ADD COLUMN opening_id INTEGER;
