-- Issue 5, point 4 (B1): what the contact rules and merged messages read in the outbox.

-- A merged message names every facility it covers, and the facility's notification list and the
-- report find it by any of them. Every other row names its own facility only (found through
-- notifications_facility), so the index holds the merged rows alone and costs the planner's insert
-- little. The filter it serves: `n.facility_id = <the facility's id>
-- OR (cardinality(n.facility_nos) > 1 AND n.facility_nos @> ARRAY[<facility_no>])`.
CREATE INDEX notifications_facility_nos ON notifications USING gin (facility_nos)
  WHERE cardinality(facility_nos) > 1;

-- The caps count a person's SMS and calls of the seven days ending on the business date.
CREATE INDEX notifications_person ON notifications (person_key, business_date)
  WHERE channel IN ('sms', 'call');
