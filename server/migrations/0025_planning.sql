-- Issue 5 point 3: the notification planner inside the daily run (interchange.md, "Workflow semantics").

-- A facility's stay in a workflow: from the first business date the workflow applies to it until the
-- first date it does not (`ended_on`). `next_on` is the next occasion (NULL: the stay's one occasion
-- is done, repeat 0); an occasion on a non-working day stays due until the next working day.
-- Derived rows written set-based by the run, up to a row per facility and workflow a day: no foreign
-- keys (their checks cost more than the insert), no surrogate key. A deleted workflow's stays end on
-- the next run, as it applies to nothing.
CREATE TABLE workflow_stays (
  workflow_id integer NOT NULL,
  facility_id bigint NOT NULL,
  started_on date NOT NULL,
  next_on date,
  last_sent_on date,
  ended_on date,
  CHECK (ended_on IS NULL OR ended_on >= started_on)
);
-- one open stay per workflow and facility (the planner's ON CONFLICT target)
CREATE UNIQUE INDEX workflow_stays_open ON workflow_stays (workflow_id, facility_id) WHERE ended_on IS NULL;
-- the occasions due on a date
CREATE INDEX workflow_stays_due ON workflow_stays (next_on) WHERE ended_on IS NULL;

-- Every day of Jalali years 1300–1500 as `YYYY/MM/DD` (Latin digits, as toJalali in
-- common/src/jalali.ts), from vosul_jalali_to_date, which follows date-fns-jalali's arithmetic. Read by
-- the planner's rendered texts (a day outside these years shows as nothing).
CREATE TABLE jalali_days (
  day date PRIMARY KEY,
  jalali text NOT NULL
);
INSERT INTO jalali_days (day, jalali)
SELECT d, lpad(y::text, 4, '0') || '/' || lpad(m::text, 2, '0') || '/' || lpad(dd::text, 2, '0')
FROM generate_series(1300, 1500) AS y,
     generate_series(1, 12) AS m,
     generate_series(1, 31) AS dd,
     LATERAL vosul_jalali_to_date(y, m, dd) AS d
WHERE d IS NOT NULL;

-- Latin digits to Persian (toPersianDigits in common/src/text.ts).
CREATE FUNCTION vosul_fa_digits(value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN translate(value, '0123456789', '۰۱۲۳۴۵۶۷۸۹');

-- An amount grouped by thousands with `٬` in Persian digits, `−` before a negative (formatMoney).
-- to_char (a literal `,` group separator, not the locale's) is five times faster than the regular
-- expression, which takes only amounts beyond its 19 digits.
CREATE FUNCTION vosul_fa_money(value numeric) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE
  WHEN abs(value) < 1e19 THEN translate(to_char(value, 'FM9,999,999,999,999,999,990'), '-,0123456789', '−٬۰۱۲۳۴۵۶۷۸۹')
  ELSE CASE WHEN value < 0 THEN '−' ELSE '' END
    || vosul_fa_digits(regexp_replace(ltrim(value::text, '-'), '(\d)(?=(\d{3})+$)', '\1٬', 'g'))
END;

-- The title a message addresses its recipient by (renderTemplate's gender placeholder).
CREATE FUNCTION vosul_gender_title(gender text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE gender WHEN 'M' THEN 'جناب آقای' WHEN 'F' THEN 'سرکار خانم' ELSE 'جناب آقای/سرکار خانم' END;
