-- B1: whether a time of day falls in the quiet hours `from`–`to` (a span may run past midnight, e.g.
-- 21:00–08:00; equal ends: none). The planner's one definition; the dispatcher's inQuietHours
-- (dispatch.service.ts) is tested against the same cases (server/test/quiet-hours.cases.ts).
CREATE FUNCTION vosul_in_quiet_hours(at time, quiet_from time, quiet_to time) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN quiet_from < quiet_to THEN at >= quiet_from AND at < quiet_to
            WHEN quiet_from > quiet_to THEN at >= quiet_from OR at < quiet_to
            ELSE false END;
