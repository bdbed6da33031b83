-- Cases (customers, facilities, installments, guarantors, payments, balances) and the snapshot intake
-- (interchange.md, "Snapshot folder"), with the SQL helpers the set-based import uses.

-- ---------------------------------------------------------------------------------------------
-- Value helpers of the interchange format. All IMMUTABLE and NULL for a bad or empty value.
-- ---------------------------------------------------------------------------------------------

-- Persian/Arabic-Indic digits → Latin, Arabic ي/ى/ك → Persian ی/ک, surrounding white space trimmed;
-- an empty result is NULL.
CREATE FUNCTION vosul_norm(value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN nullif(
  btrim(
    translate(value, '۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩يىك', '01234567890123456789ییک'),
    E' \t\r\n\u00a0\u200c\u200f\u200e\ufeff'
  ),
  ''
);

-- Days in a Gregorian month.
CREATE FUNCTION vosul_gregorian_month_days(y integer, m integer) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE
  WHEN m IN (4, 6, 9, 11) THEN 30
  WHEN m = 2 THEN CASE WHEN (y % 4 = 0 AND y % 100 <> 0) OR y % 400 = 0 THEN 29 ELSE 28 END
  ELSE 31
END;

-- A Gregorian day, or NULL when it does not exist.
CREATE FUNCTION vosul_gregorian_to_date(y integer, m integer, d integer) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE
  WHEN y BETWEEN 1 AND 9999 AND m BETWEEN 1 AND 12 AND d BETWEEN 1 AND vosul_gregorian_month_days(y, m)
  THEN make_date(y, m, d)
END;

-- A Jalali (Solar Hijri) day as a Gregorian date, or NULL when it does not exist. The 33-year
-- arithmetic calendar of date-fns-jalali (leap when (25·y + 11) mod 33 < 8), so the database and
-- every screen agree on every day: Julian day = 1948319 + 365·(y−1) + ⌊(8·y + 21)/33⌋ + day of year.
CREATE FUNCTION vosul_jalali_to_date(jy integer, jm integer, jd integer) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN CASE
  WHEN jy BETWEEN 1 AND 1699 AND jm BETWEEN 1 AND 12 AND jd >= 1
   AND jd <= CASE WHEN jm <= 6 THEN 31 WHEN jm <= 11 THEN 30 WHEN (25 * jy + 11) % 33 < 8 THEN 30 ELSE 29 END
  THEN DATE '2000-01-01' + (1948319 + 365 * (jy - 1) + (8 * jy + 21) / 33
                             + (jm - 1) * 31 - greatest(jm - 7, 0) + jd - 2451545)
END;

-- A date of the interchange format (already passed through vosul_norm): Gregorian `YYYY-MM-DD` or
-- `YYYYMMDD`; Jalali `YYYY/MM/DD`, `YYYY-MM-DD` or `YYYYMMDD` when the year is below 1700.
CREATE FUNCTION vosul_parse_date(value text) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (
  SELECT CASE
    WHEN p IS NULL THEN NULL
    WHEN p[1]::integer < 1700 THEN vosul_jalali_to_date(
      p[1]::integer, coalesce(p[2], p[4], p[6])::integer, coalesce(p[3], p[5], p[7])::integer)
    WHEN p[6] IS NOT NULL THEN NULL
    ELSE vosul_gregorian_to_date(p[1]::integer, coalesce(p[2], p[4])::integer, coalesce(p[3], p[5])::integer)
  END
  FROM (
    SELECT regexp_match(value, '^(\d{4})(?:-(\d{2})-(\d{2})|(\d{2})(\d{2})|/(\d{1,2})/(\d{1,2}))$') AS p
  ) s
);

-- An amount: digits with optional `,`/`٬` separators and an optional all-zero fraction; NULL otherwise.
CREATE FUNCTION vosul_parse_amount(value text) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (
  SELECT CASE WHEN m IS NOT NULL AND length(m[1]) <= 18 THEN m[1]::bigint END
  FROM (SELECT regexp_match(translate(value, ',٬', ''), '^(\d+)(?:\.0*)?$') AS m) s
);

-- A mobile in its stored form `09xxxxxxxxx` from the five accepted spellings; NULL otherwise.
CREATE FUNCTION vosul_mobile(value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN '0' || (regexp_match(regexp_replace(value, '[\s\-().]', '', 'g'), '^(?:\+98|0098|98|0)?(9\d{9})$'))[1];

-- A person's national code in its stored 10-digit form (8–9 digits left-padded), checked; NULL otherwise.
CREATE FUNCTION vosul_national_code(value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (
  SELECT CASE
    WHEN c !~ '^\d{10}$' OR c ~ '^(\d)\1{9}$' THEN NULL
    WHEN (
      SELECT CASE WHEN s % 11 < 2 THEN s % 11 ELSE 11 - s % 11 END
      FROM (SELECT sum(substr(c, i, 1)::integer * (11 - i)) AS s FROM generate_series(1, 9) AS i) t
    ) = substr(c, 10, 1)::integer THEN c
  END
  FROM (
    SELECT CASE WHEN d ~ '^\d{8,10}$' THEN lpad(d, 10, '0') END AS c
    FROM (SELECT regexp_replace(value, '[\s\-.]', '', 'g') AS d) x
  ) y
);

-- A company's 11-digit national ID (شناسه ملی), checked; NULL otherwise.
CREATE FUNCTION vosul_company_id(value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (
  SELECT CASE
    WHEN c !~ '^\d{11}$' OR c ~ '^(\d)\1{10}$' THEN NULL
    WHEN (
      SELECT CASE WHEN s % 11 = 10 THEN 0 ELSE s % 11 END
      FROM (
        SELECT sum((substr(c, i, 1)::integer + substr(c, 10, 1)::integer + 2)
                   * (ARRAY[29, 27, 23, 19, 17, 29, 27, 23, 19, 17])[i]) AS s
        FROM generate_series(1, 10) AS i
      ) t
    ) = substr(c, 11, 1)::integer THEN c
  END
  FROM (SELECT regexp_replace(value, '[\s\-.]', '', 'g') AS c) x
);

-- ---------------------------------------------------------------------------------------------
-- Snapshot intake runs (V24) and their rejected rows.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE snapshot_imports (
  id bigserial PRIMARY KEY,
  as_of date NOT NULL,
  source text NOT NULL DEFAULT 'cli' CHECK (source IN ('cli', 'upload', 'drop_folder')),
  folder text,
  forced boolean NOT NULL DEFAULT false,
  status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'failed', 'refused')),
  message text,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  seconds numeric(12, 3),
  -- {"loaded": {"customers.csv": 10, …}, "changed": {…}}
  counts jsonb NOT NULL DEFAULT '{}'::jsonb,
  rejects integer NOT NULL DEFAULT 0,
  closed integer NOT NULL DEFAULT 0
);
CREATE INDEX snapshot_imports_as_of ON snapshot_imports (as_of) WHERE status = 'succeeded';
CREATE INDEX snapshot_imports_started_at ON snapshot_imports (started_at DESC);
CREATE INDEX snapshot_imports_status ON snapshot_imports (status, started_at);

CREATE TABLE import_rejects (
  id bigserial PRIMARY KEY,
  import_id bigint NOT NULL REFERENCES snapshot_imports(id) ON DELETE CASCADE,
  file text NOT NULL,
  line integer NOT NULL,
  reason text NOT NULL
);
CREATE INDEX import_rejects_import_id ON import_rejects (import_id, file, line);

-- ---------------------------------------------------------------------------------------------
-- Cases.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE customers (
  id bigserial PRIMARY KEY,
  customer_no text NOT NULL UNIQUE,
  kind text NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'company')),
  first_name text COLLATE "fa-x-icu",
  last_name text NOT NULL COLLATE "fa-x-icu",
  father_name text COLLATE "fa-x-icu",
  national_id text,
  birth_cert_no text,
  gender text CHECK (gender IN ('M', 'F')),
  mobile text,
  email text,
  home_phone text,
  work_phone text,
  address text,
  postal_code text,
  branch_id integer NOT NULL REFERENCES branches(id),
  -- V29: why the case cannot be notified or is doubtful, e.g. {mobile_missing, national_id_invalid}.
  -- Recomputed by every import from the effective values.
  incomplete_reasons text[] NOT NULL DEFAULT '{}',
  -- Staff corrections that win over the snapshot until the core banking value changes:
  -- {"mobile": {"value": "0912…", "core_value": "0935…" | null}, …}. The columns above hold the
  -- effective value (the override's value while it stands).
  overrides jsonb NOT NULL DEFAULT '{}'::jsonb,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
  -- the import that last wrote this row (NULL when created by hand)
  import_id bigint REFERENCES snapshot_imports(id) ON DELETE SET NULL,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX customers_branch_id ON customers (branch_id);
CREATE INDEX customers_import_id ON customers (import_id);
CREATE INDEX customers_national_id ON customers (national_id);
CREATE INDEX customers_mobile ON customers (mobile);
CREATE INDEX customers_incomplete ON customers (branch_id) WHERE incomplete_reasons <> '{}';
-- Search over customer number, names and mobile: query with the same expression, e.g.
-- `vosul_customer_search(customer_no, first_name, last_name, mobile) ILIKE '%…%'`.
CREATE FUNCTION vosul_customer_search(customer_no text, first_name text, last_name text, mobile text)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN customer_no || ' ' || coalesce(first_name, '') || ' ' || last_name || ' ' || coalesce(mobile, '');
CREATE INDEX customers_search_trgm ON customers
  USING gin (vosul_customer_search(customer_no, first_name, last_name, mobile) gin_trgm_ops);

CREATE TABLE facilities (
  id bigserial PRIMARY KEY,
  facility_no text NOT NULL UNIQUE,
  customer_id bigint NOT NULL REFERENCES customers(id),
  branch_id integer NOT NULL REFERENCES branches(id),
  loan_type_id integer NOT NULL REFERENCES loan_types(id),
  granted_on date NOT NULL,
  principal bigint NOT NULL CHECK (principal >= 0),
  currency text NOT NULL DEFAULT 'IRR',
  annual_rate numeric(9, 4),
  installment_count integer,
  -- `closed`: no longer in the core banking snapshot (never deleted; history stays).
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'settled', 'written_off', 'closed')),
  closed_on date,
  import_id bigint REFERENCES snapshot_imports(id) ON DELETE SET NULL,
  -- Derived figures of the last daily run (interchange.md, "Derived figures"); NULL until one ran.
  overdue_days integer,
  overdue_installments integer,
  overdue_amount bigint,
  unpaid_amount bigint,
  penalty bigint,
  collectible_amount bigint,
  cbi_class text CHECK (cbi_class IN ('current', 'past_due', 'deferred', 'doubtful')),
  figures_as_of date,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX facilities_customer_id ON facilities (customer_id);
CREATE INDEX facilities_branch_id ON facilities (branch_id);
CREATE INDEX facilities_loan_type_id ON facilities (loan_type_id);
CREATE INDEX facilities_import_id ON facilities (import_id);
CREATE INDEX facilities_status ON facilities (status);
CREATE INDEX facilities_overdue ON facilities (branch_id, overdue_days) WHERE overdue_days > 0;
CREATE INDEX facilities_facility_no_trgm ON facilities USING gin (facility_no gin_trgm_ops);

CREATE TABLE installments (
  id bigserial PRIMARY KEY,
  facility_id bigint NOT NULL REFERENCES facilities(id) ON DELETE CASCADE,
  seq integer NOT NULL,
  due_on date NOT NULL,
  amount bigint NOT NULL CHECK (amount >= 0),
  paid_amount bigint NOT NULL DEFAULT 0 CHECK (paid_amount >= 0),
  paid_on date,
  UNIQUE (facility_id, seq)
);
CREATE INDEX installments_due_on ON installments (due_on) WHERE paid_amount < amount;

CREATE TABLE guarantors (
  id bigserial PRIMARY KEY,
  facility_id bigint NOT NULL REFERENCES facilities(id) ON DELETE CASCADE,
  -- order within the facility, as listed in the snapshot
  seq integer NOT NULL,
  customer_id bigint REFERENCES customers(id),
  first_name text COLLATE "fa-x-icu",
  last_name text COLLATE "fa-x-icu",
  national_id text,
  mobile text,
  address text,
  incomplete_reasons text[] NOT NULL DEFAULT '{}',
  UNIQUE (facility_id, seq)
);
CREATE INDEX guarantors_customer_id ON guarantors (customer_id);
CREATE INDEX guarantors_national_id ON guarantors (national_id);
CREATE INDEX guarantors_incomplete ON guarantors (facility_id) WHERE incomplete_reasons <> '{}';

-- Keyed per interchange: (facility, reference), or without a reference (facility, paid_on, amount,
-- occurrence) where occurrence counts equal rows of one snapshot (1, 2, …).
CREATE TABLE payments (
  id bigserial PRIMARY KEY,
  facility_id bigint NOT NULL REFERENCES facilities(id) ON DELETE CASCADE,
  paid_on date NOT NULL,
  amount bigint NOT NULL CHECK (amount >= 0),
  reference text,
  occurrence integer NOT NULL DEFAULT 1,
  import_id bigint REFERENCES snapshot_imports(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX payments_reference ON payments (facility_id, reference) WHERE reference IS NOT NULL;
CREATE UNIQUE INDEX payments_unreferenced ON payments (facility_id, paid_on, amount, occurrence)
  WHERE reference IS NULL;
CREATE INDEX payments_facility_paid_on ON payments (facility_id, paid_on);
CREATE INDEX payments_import_id ON payments (import_id);

CREATE TABLE account_balances (
  id bigserial PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  account_no text NOT NULL,
  account_type text,
  on_date date NOT NULL,
  balance bigint NOT NULL,
  UNIQUE (customer_id, account_no, on_date)
);
CREATE INDEX account_balances_on_date ON account_balances (on_date);
