-- The planner renders two or three amounts in each message with vosul_fa_money. Declared IMMUTABLE,
-- it was never inlined — PostgreSQL does not inline an immutable SQL function whose body calls a
-- stable one (to_char reads the locale) — and each amount cost a function call: half the rendering
-- of a day's 100 k messages at 1M customers. STABLE is what its body is; the text is unchanged.
CREATE OR REPLACE FUNCTION vosul_fa_money(value bigint) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
RETURN translate(to_char(value, 'FM9,999,999,999,999,999,990'), '-,0123456789', '−٬۰۱۲۳۴۵۶۷۸۹');

CREATE OR REPLACE FUNCTION vosul_fa_money(value numeric) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
RETURN CASE
  WHEN abs(value) < 1e19 THEN translate(to_char(value, 'FM9,999,999,999,999,999,990'), '-,0123456789', '−٬۰۱۲۳۴۵۶۷۸۹')
  ELSE CASE WHEN value < 0 THEN '−' ELSE '' END
    || vosul_fa_digits(regexp_replace(ltrim(value::text, '-'), '(\d)(?=(\d{3})+$)', '\1٬', 'g'))
END;
