-- A posting that moved exactly one lot, all of its quantity and value,
-- keeps that lot here instead of a row in ledger_legs (the common case:
-- an inbound posting makes one lot, an outbound one takes one). NULL means
-- the legs are in ledger_legs, as for every posting written before.
ALTER TABLE ledger_postings ADD COLUMN leg_lot TEXT;
