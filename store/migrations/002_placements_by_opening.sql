-- Placements are listed by contract (through their opening) for the lifecycle endpoints: fulfilment,
-- the facilitator's list of a contract's hires.
CREATE INDEX placements_by_opening ON placements (opening_id, id);
