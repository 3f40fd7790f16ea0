-- Taxable event numbers come from a sequence instead of the zone-wide
-- 'taxable-event' row of zone_counters. Every clearance that recorded a
-- taxable event held that row until it committed, so taxable clearances on
-- different books queued on one row (and, under SERIALIZABLE, retried).
-- Numbers stay unique; like journal IDs they need not be gap-free (a
-- retried or failed clearance leaves one unused) nor in commit order.
CREATE SEQUENCE zone_taxable_event_ids;
