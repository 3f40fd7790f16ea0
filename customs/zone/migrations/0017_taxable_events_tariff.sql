-- The tariff each taxable event was assessed with (its name and version), so that events
-- assessed with the illustrative sample tariff can be found and assessed again.
ALTER TABLE zone_taxable_events ADD COLUMN tariff TEXT NOT NULL DEFAULT '';
