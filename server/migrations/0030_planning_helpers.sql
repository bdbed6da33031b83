-- Issue 5: helpers of the planner (contact rules and rendered texts).

-- B1: whether a time of day falls in the quiet hours `from`–`to` (a span may run past midnight, e.g.
-- 21:00–08:00; equal ends: none). The planner's one definition; the dispatcher's inQuietHours
-- (dispatch.service.ts) is tested against the same cases (server/test/quiet-hours.cases.ts).
CREATE FUNCTION vosul_in_quiet_hours(at time, quiet_from time, quiet_to time) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN quiet_from < quiet_to THEN at >= quiet_from AND at < quiet_to
            WHEN quiet_from > quiet_to THEN at >= quiet_from OR at < quiet_to
            ELSE false END;

-- The planner's amounts are bigint: to_char of a bigint is four times faster than of a numeric (a
-- message shows two or three amounts). Same text as vosul_fa_money(numeric) and formatMoney.
CREATE FUNCTION vosul_fa_money(value bigint) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN translate(to_char(value, 'FM9,999,999,999,999,999,990'), '-,0123456789', '−٬۰۱۲۳۴۵۶۷۸۹');
