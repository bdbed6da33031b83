import type pg from 'pg';
// Customer fields staff may correct in Vosul; a correction is kept until the core value changes.
import { OVERRIDABLE_FIELDS } from '@vosul/common/cases-labels';
import { SNAPSHOT_FILES, stagingColumns, type FileSpec } from './snapshot-format.js';

/**
 * All SQL of the snapshot import. Every function takes the raw pg client that holds the import's
 * one transaction (COPY needs that very connection). The work is set-based over staging tables:
 * stg_<file> (text as read, see csv-copy.ts) → cl_<file> (normalised, parsed, `reason` set on a
 * rejected row) → upserts that write only rows whose values differ.
 */
export type Client = pg.PoolClient;

export { SNAPSHOT_FILES, type FileSpec } from './snapshot-format.js';

const IMPORT_LOCK = 7_446_002; // advisory lock key: one import at a time

export async function lockImports(c: Client): Promise<void> {
  await c.query('SELECT pg_advisory_xact_lock($1)', [IMPORT_LOCK]);
  // the whole-book joins and sorts of this one transaction may use more memory than a request
  await c.query("SET LOCAL work_mem = '512MB'");
  await c.query("SET LOCAL maintenance_work_mem = '1GB'");
}

export async function latestImportedAsOf(c: Client): Promise<string | null> {
  const { rows } = await c.query<{ d: string | null }>(
    "SELECT max(as_of) AS d FROM snapshot_imports WHERE status = 'succeeded'",
  );
  return rows[0]!.d;
}

export async function insertImportRun(
  c: Client | pg.Pool,
  run: { asOf: string; source: string; folder: string; forced: boolean; status?: string; message?: string },
): Promise<string> {
  const { rows } = await c.query<{ id: string }>(
    `INSERT INTO snapshot_imports (as_of, source, folder, forced, status, message, finished_at)
     VALUES ($1, $2, $3, $4, coalesce($5, 'running'), $6, CASE WHEN $5 IS NULL THEN NULL ELSE now() END)
     RETURNING id`,
    [run.asOf, run.source, run.folder, run.forced, run.status ?? null, run.message ?? null],
  );
  return rows[0]!.id;
}

/** A retried job reuses its run row: back to running, the previous attempt's outcome cleared. */
export async function restartImportRun(
  c: pg.Pool,
  id: string,
  run: { asOf: string; source: string; folder: string; forced: boolean },
): Promise<void> {
  await c.query(
    `UPDATE snapshot_imports SET as_of = $2, source = $3, folder = $4, forced = $5, status = 'running',
       message = NULL, started_at = now(), finished_at = NULL, seconds = NULL WHERE id = $1`,
    [id, run.asOf, run.source, run.folder, run.forced],
  );
}

export async function failImportRun(
  c: pg.Pool,
  id: string,
  status: 'failed' | 'refused',
  message: string,
  /** a refusal's reason, written with the status so that no reader sees one without the other */
  refusal: string | null = null,
): Promise<void> {
  await c.query(
    `UPDATE snapshot_imports SET status = $2, message = $3, refusal = $4, finished_at = now(),
       seconds = round(extract(epoch FROM now() - started_at)::numeric, 3) WHERE id = $1`,
    [id, status, message, refusal],
  );
}

const BACKEND_OF_SESSION = `(SELECT pid || '@' || backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid())`;

/** Records the session that runs the import (called on that session, before its transaction). */
export async function markImportBackend(c: Client, id: string): Promise<void> {
  await c.query(`UPDATE snapshot_imports SET backend = ${BACKEND_OF_SESSION} WHERE id = $1`, [id]);
}

/**
 * Runs still marked running whose database session is gone died with their process (kill -9, power
 * loss): their transaction rolled back, so they are recorded as failed.
 */
export async function failInterruptedRuns(c: Client | pg.Pool): Promise<void> {
  await c.query(
    `UPDATE snapshot_imports r SET status = 'failed', finished_at = now(),
       message = 'interrupted: the importing process stopped before it finished; nothing was changed'
     WHERE r.status = 'running' AND r.backend IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid || '@' || a.backend_start = r.backend)`,
  );
}

export async function finishImportRun(
  c: Client,
  id: string,
  run: { counts: unknown; rejects: number; closed: number; seconds: number },
): Promise<void> {
  await c.query(
    `UPDATE snapshot_imports SET status = 'succeeded', finished_at = now(), counts = $2, rejects = $3,
       closed = $4, seconds = $5 WHERE id = $1`,
    [id, JSON.stringify(run.counts), run.rejects, run.closed, run.seconds],
  );
  await c.query(
    `INSERT INTO import_rejects (import_id, file, line, reason) SELECT $1, file, line, reason FROM imp_rejects`,
    [id],
  );
}

export async function createStagingTables(c: Client): Promise<void> {
  const ddl = Object.values(SNAPSHOT_FILES).map(
    (spec) =>
      `CREATE TEMP TABLE ${spec.table} (line integer NOT NULL, _reject text, ${stagingColumns(spec)
        .map((col) => `${col.name} ${col.type}`)
        .join(', ')}) ON COMMIT DROP;`,
  );
  ddl.push(
    'CREATE TEMP TABLE imp_rejects (file text NOT NULL, line integer NOT NULL, reason text NOT NULL) ON COMMIT DROP;',
  );
  await c.query(ddl.join('\n'));
}

export function copyStatement(spec: FileSpec): string {
  return `COPY ${spec.table} (line, _reject, ${stagingColumns(spec)
    .map((col) => col.name)
    .join(', ')}) FROM STDIN`;
}

/**
 * After a committed import: marks the customers' pages all-visible (and refreshes their statistics)
 * so the case search reads its matches from the covering key indexes alone from the first minute,
 * not once autovacuum comes by. Outside any transaction (VACUUM cannot run in one).
 */
export async function vacuumCustomers(c: Client): Promise<void> {
  await c.query('VACUUM (ANALYZE) customers');
}

export async function analyzeStaging(c: Client): Promise<void> {
  await c.query(
    Object.values(SNAPSHOT_FILES)
      .map((s) => `ANALYZE ${s.table};`)
      .join('\n'),
  );
}

/** Facilities the snapshot would close (absent from facilities.csv) among the active ones. */
export async function countClosing(c: Client): Promise<{ closing: number; active: number }> {
  // a first load has nothing to close: no need to list the snapshot's facility numbers
  if (
    (await count(
      c,
      "SELECT count(*)::int AS n FROM (SELECT 1 FROM facilities WHERE status <> 'closed' LIMIT 1) f",
    )) === 0
  )
    return { closing: 0, active: 0 };
  await c.query(`
    CREATE TEMP TABLE listed_nos ON COMMIT DROP AS
      SELECT DISTINCT facility_no FROM stg_facilities WHERE facility_no IS NOT NULL;
    CREATE UNIQUE INDEX ON listed_nos (facility_no);
    ANALYZE listed_nos;
  `);
  const { rows } = await c.query<{ closing: number; active: number }>(`
    SELECT count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM listed_nos l WHERE l.facility_no = f.facility_no))::int AS closing,
           count(*)::int AS active
    FROM facilities f WHERE f.status = 'active'
  `);
  return rows[0]!;
}

/** Rows that could not be read (wrong number of fields) are rejects as they stand. */
async function rejectUnreadable(c: Client): Promise<void> {
  await c.query(
    Object.entries(SNAPSHOT_FILES)
      .map(
        ([file, spec]) =>
          `INSERT INTO imp_rejects SELECT '${file}', line, _reject FROM ${spec.table} WHERE _reject IS NOT NULL;`,
      )
      .join('\n'),
  );
}

async function collectRejects(c: Client, file: string, table: string): Promise<void> {
  await c.query(`INSERT INTO imp_rejects SELECT $1, line, reason FROM ${table} WHERE reason IS NOT NULL`, [
    file,
  ]);
}

async function tableExists(c: Client, name: string): Promise<boolean> {
  const { rows } = await c.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [name]);
  return rows[0]!.found;
}

async function count(c: Client, sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await c.query<{ n: number }>(sql, params);
  return rows[0]!.n;
}

/**
 * Upserts `source` (rows with `key` and `columns`) into `table`: new keys inserted, existing rows
 * updated only where a value differs (compared as jsonb, so collations and numeric scales do not
 * matter), each update audited with before and after. Unchanged rows are not touched at all.
 */
async function upsertChanged(
  c: Client,
  o: {
    table: string;
    key: string;
    columns: string[];
    source: string;
    entity: string;
    importId?: string;
    params?: unknown[];
    /** rows in the snapshot, to tell a bulk load from a daily change */
    incoming?: number;
  },
): Promise<{ inserted: number; updated: number }> {
  const cols = o.columns;
  const obj = (alias: string) => `jsonb_build_object(${cols.map((k) => `'${k}', ${alias}.${k}`).join(', ')})`;
  const params = [...(o.params ?? [])];
  let importSet = '';
  let importCol = '';
  let importVal = '';
  if (o.importId !== undefined) {
    params.push(o.importId);
    importSet = `, import_id = $${params.length}`;
    importCol = ', import_id';
    importVal = `, $${params.length}::bigint`;
  }
  const incoming = o.incoming ?? 0;
  const newRows = incoming - (await estimatedRows(c, o.table));
  const { rows } = await bulkWrite(c, o.table, newRows, () =>
    c.query<{ inserted: number; updated: number }>(
      `WITH src AS (
       SELECT s.*, t.id AS existing_id, CASE WHEN t.id IS NOT NULL THEN ${obj('t')} END AS before_row
       FROM (${o.source}) s LEFT JOIN ${o.table} t ON t.${o.key} = s.${o.key}
     ),
     upd AS (
       UPDATE ${o.table} t SET ${cols.map((k) => `${k} = s.${k}`).join(', ')},
         version = t.version + 1, updated_at = now()${importSet}
       FROM src s
       WHERE t.id = s.existing_id AND s.before_row IS DISTINCT FROM ${obj('s')}
       RETURNING t.id, s.before_row, ${obj('t')} AS after_row
     ),
     ins AS (
       INSERT INTO ${o.table} (${o.key}, ${cols.join(', ')}${importCol})
       SELECT ${o.key}, ${cols.join(', ')}${importVal} FROM src WHERE existing_id IS NULL
       RETURNING id
     ),
     aud AS (
       INSERT INTO audit_log (actor_username, entity, entity_id, action, before, after)
       SELECT 'import', '${o.entity}', id::text, 'update', before_row, after_row FROM upd
     )
     SELECT (SELECT count(*) FROM ins)::int AS inserted, (SELECT count(*) FROM upd)::int AS updated`,
      params,
    ),
  );
  return rows[0]!;
}

/** Below this many new rows a table's foreign keys are checked row by row as usual. */
const BULK_ROWS = 50_000;

/** The planner's estimate of a table's rows (0 when never analysed). */
async function estimatedRows(c: Client, table: string): Promise<number> {
  const { rows } = await c.query<{ n: number }>(
    'SELECT greatest(reltuples, 0)::float8 AS n FROM pg_class WHERE oid = $1::regclass',
    [table],
  );
  return rows[0]?.n ?? 0;
}

/**
 * Writes `newRows` rows into `table`. For a large write (a first import, a big growth) the table's
 * foreign keys and plain indexes are dropped and re-made around it: re-adding a key validates every
 * row in one set-based pass where the usual trigger checks each row alone (half the cost of loading
 * installments), and an index built at once from sorted rows is far cheaper than one grown row by
 * row. With `rebuildKey` (the caller has made the rows unique and nothing references the table) the
 * primary key and unique indexes are rebuilt the same way, in parallel. Inside the import's
 * transaction, so a failure restores them; the table stays locked until commit.
 */
async function bulkWrite<T>(
  c: Client,
  table: string,
  newRows: number,
  write: () => Promise<T>,
  options: { rebuildKey?: boolean } = {},
): Promise<T> {
  const existing = await estimatedRows(c, table);
  if (newRows < BULK_ROWS || newRows < existing * 0.1) return write();
  const kinds = options.rebuildKey ? ['f', 'p', 'u'] : ['f'];
  const { rows: keys } = await c.query<{ name: string; def: string }>(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint
     WHERE conrelid = $1::regclass AND contype = ANY($2) ORDER BY contype = 'f'`,
    [table, kinds],
  );
  // secondary indexes (not those of a constraint) are rebuilt in one sorted pass too
  const { rows: indexes } = await c.query<{ name: string; def: string }>(
    `SELECT ci.relname AS name, pg_get_indexdef(i.indexrelid) AS def
     FROM pg_index i JOIN pg_class ci ON ci.oid = i.indexrelid
     WHERE i.indrelid = $1::regclass AND ($2 OR NOT i.indisunique)
       AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`,
    [table, options.rebuildKey === true],
  );
  for (const key of [...keys].reverse()) await c.query(`ALTER TABLE ${table} DROP CONSTRAINT "${key.name}"`);
  for (const index of indexes) await c.query(`DROP INDEX "${index.name}"`);
  const result = await write();
  for (const key of keys) await c.query(`ALTER TABLE ${table} ADD CONSTRAINT "${key.name}" ${key.def}`);
  for (const index of indexes) await c.query(index.def);
  await c.query(`ANALYZE ${table}`);
  return result;
}

/** How a rejected row of another file is named as the cause: `customer_no X was rejected (customers.csv line N)`. */
const rejectedCause = (what: string, value: string, file: string, line: string) =>
  `'${what} ' || ${value} || ' was rejected (${file} line ' || ${line} || ')'`;

const required = (cols: string[]) =>
  cols.map((col) => `WHEN x.${col} IS NULL THEN '${col} is required'`).join('\n');

// ---------------------------------------------------------------------------------------------

export async function applyBranches(c: Client): Promise<number> {
  await c.query(`
    CREATE TEMP TABLE cl_branches ON COMMIT DROP AS
    SELECT x.*, CASE
        ${required(['branch_code', 'name', 'province_code'])}
        WHEN x.first_line <> x.line THEN 'duplicate branch_code ' || x.branch_code || ' (first at line ' || x.first_line || ')'
        WHEN x.parent_branch_code IS NOT NULL AND x.parent_branch_code = x.branch_code THEN 'parent_branch_code is the branch itself'
        WHEN x.parent_branch_code IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM branches b WHERE b.code = x.parent_branch_code)
          AND NOT EXISTS (SELECT 1 FROM stg_branches p WHERE p.branch_code = x.parent_branch_code AND p._reject IS NULL)
          THEN 'unknown parent_branch_code ' || x.parent_branch_code
      END AS reason
    FROM (
      SELECT s.line, s.branch_code AS branch_code, s.name COLLATE "fa-x-icu" AS name,
        s.province_code AS province_code, s.province_name AS province_name,
        s.parent_branch_code AS parent_branch_code, s.address AS address,
        min(s.line) OVER (PARTITION BY s.branch_code) AS first_line
      FROM stg_branches s WHERE s._reject IS NULL
    ) x;
    INSERT INTO provinces (code, name)
      SELECT DISTINCT ON (province_code) province_code, coalesce(province_name, province_code)
      FROM cl_branches WHERE reason IS NULL ORDER BY province_code, line
      ON CONFLICT (code) DO NOTHING;
  `);
  await collectRejects(c, 'branches.csv', 'cl_branches');
  await upsertChanged(c, {
    table: 'branches',
    key: 'code',
    columns: ['name', 'province_id', 'address'],
    entity: 'branch',
    source: `SELECT b.branch_code AS code, b.name, p.id AS province_id, coalesce(b.address, t.address) AS address
             FROM cl_branches b JOIN provinces p ON p.code = b.province_code
             LEFT JOIN branches t ON t.code = b.branch_code WHERE b.reason IS NULL`,
  });
  // parents once every branch of the snapshot exists
  await c.query(`
    WITH want AS (
      SELECT t.id, t.parent_id AS old_parent, p.id AS parent_id
      FROM cl_branches b JOIN branches t ON t.code = b.branch_code
      LEFT JOIN branches p ON p.code = b.parent_branch_code
      WHERE b.reason IS NULL
    ),
    upd AS (
      UPDATE branches t SET parent_id = w.parent_id, version = t.version + 1, updated_at = now()
      FROM want w WHERE t.id = w.id AND t.parent_id IS DISTINCT FROM w.parent_id
      RETURNING t.id, w.old_parent, w.parent_id
    )
    INSERT INTO audit_log (actor_username, entity, entity_id, action, before, after)
    SELECT 'import', 'branch', id::text, 'update', jsonb_build_object('parent_id', old_parent), jsonb_build_object('parent_id', parent_id) FROM upd
  `);
  return count(c, 'SELECT count(*)::int AS n FROM cl_branches WHERE reason IS NULL');
}

export async function applyLoanTypes(c: Client): Promise<number> {
  await c.query(`
    CREATE TEMP TABLE cl_loan_types ON COMMIT DROP AS
    SELECT x.*, CASE
        ${required(['loan_type_code', 'title'])}
        WHEN x.first_line <> x.line THEN 'duplicate loan_type_code ' || x.loan_type_code || ' (first at line ' || x.first_line || ')'
      END AS reason
    FROM (
      SELECT s.line, s.loan_type_code AS loan_type_code, s.title AS title,
        min(s.line) OVER (PARTITION BY s.loan_type_code) AS first_line
      FROM stg_loan_types s WHERE s._reject IS NULL
    ) x
  `);
  await collectRejects(c, 'loan_types.csv', 'cl_loan_types');
  await upsertChanged(c, {
    table: 'loan_types',
    key: 'code',
    columns: ['title'],
    entity: 'loan_type',
    source: `SELECT loan_type_code AS code, title FROM cl_loan_types WHERE reason IS NULL`,
  });
  return count(c, 'SELECT count(*)::int AS n FROM cl_loan_types WHERE reason IS NULL');
}

export async function applyCustomers(c: Client, importId: string): Promise<number> {
  await c.query(`
    CREATE TEMP TABLE cl_customers ON COMMIT DROP AS
    SELECT y.*,
      CASE WHEN length(y.national_id_ok) = CASE WHEN y.kind = 'company' THEN 11 ELSE 10 END THEN y.national_id_ok END AS national_id,
      y.mobile_ok AS mobile,
      CASE upper(y.gender_raw) WHEN 'M' THEN 'M' WHEN 'F' THEN 'F' END AS gender,
      y.email_ok AS email, y.postal_code_ok AS postal_code
    FROM (
      SELECT x.*, b.id AS branch_id, CASE
          WHEN x.customer_no IS NULL THEN 'customer_no is required'
          WHEN x.kind NOT IN ('person', 'company') THEN 'kind must be person or company, not ' || x.kind
          WHEN x.last_name IS NULL THEN 'last_name is required'
          WHEN x.kind = 'person' AND x.first_name IS NULL THEN 'first_name is required for a person'
          WHEN x.branch_code IS NULL THEN 'branch_code is required'
          WHEN x.first_line <> x.line THEN 'duplicate customer_no ' || x.customer_no || ' (first at line ' || x.first_line || ')'
          WHEN b.id IS NULL THEN coalesce(
            (SELECT ${rejectedCause('branch_code', 'x.branch_code', 'branches.csv', 'min(r.line)')}
             FROM cl_branches r WHERE r.branch_code = x.branch_code AND r.reason IS NOT NULL HAVING count(*) > 0),
            'unknown branch_code ' || x.branch_code)
        END AS reason
      FROM (
        SELECT s.line, s.customer_no AS customer_no, coalesce(lower(s.kind), 'person') AS kind,
          s.first_name COLLATE "fa-x-icu" AS first_name, s.last_name COLLATE "fa-x-icu" AS last_name,
          s.father_name COLLATE "fa-x-icu" AS father_name, coalesce(s.national_id, s.national_id_bad) AS national_id_raw, s.national_id AS national_id_ok,
          s.birth_cert_no AS birth_cert_no, s.gender AS gender_raw,
          coalesce(s.mobile, s.mobile_bad) AS mobile_raw, s.mobile AS mobile_ok, coalesce(s.email, s.email_bad) AS email_raw, s.email AS email_ok,
          s.home_phone AS home_phone, s.work_phone AS work_phone,
          s.address AS address, coalesce(s.postal_code, s.postal_code_bad) AS postal_code_raw, s.postal_code AS postal_code_ok,
          s.branch_code AS branch_code,
          min(s.line) OVER (PARTITION BY s.customer_no) AS first_line
        FROM stg_customers s WHERE s._reject IS NULL
      ) x LEFT JOIN branches b ON b.code = x.branch_code
    ) y
  `);
  await collectRejects(c, 'customers.csv', 'cl_customers');
  const snap = `jsonb_build_object(${OVERRIDABLE_FIELDS.map((f) => `'${f}', n.${f}`).join(', ')})`;
  const effective = OVERRIDABLE_FIELDS.map(
    (f) => `CASE WHEN o.ov ? '${f}' THEN (o.ov -> '${f}' ->> 'value') ELSE n.${f} END AS ${f}`,
  ).join(',\n');
  const stands = (f: string) => `(o.ov ? '${f}')`;
  const valid = await count(c, 'SELECT count(*)::int AS n FROM cl_customers WHERE reason IS NULL');
  await upsertChanged(c, {
    table: 'customers',
    incoming: valid,
    key: 'customer_no',
    columns: ['kind', ...OVERRIDABLE_FIELDS, 'branch_id', 'incomplete_reasons', 'overrides'],
    entity: 'customer',
    importId,
    source: `
      SELECT n.customer_no, n.kind, ${effective}, n.branch_id, o.ov AS overrides,
        array_remove(ARRAY[
          CASE WHEN ${stands('mobile')} THEN CASE WHEN o.ov -> 'mobile' ->> 'value' IS NULL THEN 'mobile_missing' END
               WHEN n.mobile IS NULL THEN CASE WHEN n.mobile_raw IS NULL THEN 'mobile_missing' ELSE 'mobile_invalid' END END,
          CASE WHEN ${stands('national_id')} THEN CASE WHEN o.ov -> 'national_id' ->> 'value' IS NULL THEN 'national_id_missing' END
               WHEN n.national_id IS NULL THEN CASE WHEN n.national_id_raw IS NULL THEN 'national_id_missing' ELSE 'national_id_invalid' END END,
          CASE WHEN NOT ${stands('postal_code')} AND n.postal_code IS NULL AND n.postal_code_raw IS NOT NULL THEN 'postal_code_invalid' END,
          CASE WHEN NOT ${stands('email')} AND n.email IS NULL AND n.email_raw IS NOT NULL THEN 'email_invalid' END
        ]::text[], NULL) AS incomplete_reasons
      FROM cl_customers n
      LEFT JOIN customers t ON t.customer_no = n.customer_no
      CROSS JOIN LATERAL (
        SELECT CASE WHEN t.overrides IS NULL OR t.overrides = '{}'::jsonb THEN '{}'::jsonb
          ELSE coalesce((SELECT jsonb_object_agg(e.k, e.v) FROM jsonb_each(t.overrides) AS e(k, v)
                         WHERE (e.v ->> 'core_value') IS NOT DISTINCT FROM (${snap} ->> e.k)), '{}'::jsonb)
        END AS ov
      ) o
      WHERE n.reason IS NULL`,
  });
  return valid;
}

export async function applyFacilities(c: Client, importId: string): Promise<number> {
  await c.query(`
    CREATE TEMP TABLE cl_facilities ON COMMIT DROP AS
    SELECT x.*, cu.id AS customer_id, b.id AS branch_id, lt.id AS loan_type_id, CASE
        ${required(['facility_no', 'customer_no', 'branch_code', 'loan_type_code'])}
        WHEN x.granted_on_raw IS NULL THEN 'granted_on is required'
        WHEN x.principal_raw IS NULL THEN 'principal is required'
        WHEN x.granted_on IS NULL THEN 'bad date in granted_on: ' || x.granted_on_raw
        WHEN x.principal IS NULL THEN 'bad amount in principal: ' || x.principal_raw
        WHEN x.currency !~ '^[A-Z]{3}$' THEN 'bad currency: ' || x.currency
        WHEN x.annual_rate_raw IS NOT NULL AND x.annual_rate_raw !~ '^\\d{1,4}(\\.\\d{1,4})?$' THEN 'bad number in annual_rate: ' || x.annual_rate_raw
        WHEN x.installment_count_raw IS NOT NULL AND x.installment_count_raw !~ '^\\d{1,6}$' THEN 'bad number in installment_count: ' || x.installment_count_raw
        WHEN x.status NOT IN ('active', 'settled', 'written_off') THEN 'status must be active, settled or written_off, not ' || x.status
        WHEN x.first_line <> x.line THEN 'duplicate facility_no ' || x.facility_no || ' (first at line ' || x.first_line || ')'
        WHEN cu.id IS NULL THEN coalesce(
          (SELECT ${rejectedCause('customer_no', 'x.customer_no', 'customers.csv', 'min(r.line)')}
           FROM cl_customers r WHERE r.customer_no = x.customer_no AND r.reason IS NOT NULL HAVING count(*) > 0),
          'unknown customer_no ' || x.customer_no)
        WHEN b.id IS NULL THEN coalesce(
          (SELECT ${rejectedCause('branch_code', 'x.branch_code', 'branches.csv', 'min(r.line)')}
           FROM cl_branches r WHERE r.branch_code = x.branch_code AND r.reason IS NOT NULL HAVING count(*) > 0),
          'unknown branch_code ' || x.branch_code)
        WHEN lt.id IS NULL THEN coalesce(
          (SELECT ${rejectedCause('loan_type_code', 'x.loan_type_code', 'loan_types.csv', 'min(r.line)')}
           FROM cl_loan_types r WHERE r.loan_type_code = x.loan_type_code AND r.reason IS NOT NULL HAVING count(*) > 0),
          'unknown loan_type_code ' || x.loan_type_code)
      END AS reason
    FROM (
      SELECT s.line, s.facility_no AS facility_no, s.customer_no AS customer_no,
        s.branch_code AS branch_code, s.loan_type_code AS loan_type_code,
        coalesce(s.granted_on::text, s.granted_on_bad) AS granted_on_raw, s.granted_on AS granted_on,
        coalesce(s.principal::text, s.principal_bad) AS principal_raw, s.principal AS principal,
        coalesce(upper(s.currency), 'IRR') AS currency,
        s.annual_rate AS annual_rate_raw, coalesce(s.installment_count::text, s.installment_count_bad) AS installment_count_raw,
        coalesce(lower(s.status), 'active') AS status,
        min(s.line) OVER (PARTITION BY s.facility_no) AS first_line
      FROM stg_facilities s WHERE s._reject IS NULL
    ) x
    LEFT JOIN customers cu ON cu.customer_no = x.customer_no
    LEFT JOIN branches b ON b.code = x.branch_code
    LEFT JOIN loan_types lt ON lt.code = x.loan_type_code
  `);
  await collectRejects(c, 'facilities.csv', 'cl_facilities');
  const valid = await count(c, 'SELECT count(*)::int AS n FROM cl_facilities WHERE reason IS NULL');
  await upsertChanged(c, {
    table: 'facilities',
    incoming: valid,
    key: 'facility_no',
    columns: [
      'customer_id',
      'branch_id',
      'loan_type_id',
      'granted_on',
      'principal',
      'currency',
      'annual_rate',
      'installment_count',
      'status',
      'closed_on',
    ],
    entity: 'facility',
    importId,
    source: `SELECT facility_no, customer_id, branch_id, loan_type_id, granted_on, principal, currency,
               annual_rate_raw::numeric(9, 4) AS annual_rate, installment_count_raw::integer AS installment_count,
               status, NULL::date AS closed_on
             FROM cl_facilities WHERE reason IS NULL`,
  });
  await c.query(`
    CREATE TEMP TABLE listed_facilities ON COMMIT DROP AS
      SELECT cf.facility_no, f.id, cf.line FROM cl_facilities cf JOIN facilities f USING (facility_no)
      WHERE cf.reason IS NULL;
    CREATE UNIQUE INDEX ON listed_facilities (facility_no);
    CREATE UNIQUE INDEX ON listed_facilities (id);
    ANALYZE listed_facilities;
  `);
  return valid;
}

/** Marks closed (never deletes) every facility not listed in facilities.csv at all. */
export async function closeMissingFacilities(c: Client, asOf: string): Promise<number> {
  if (!(await tableExists(c, 'listed_nos'))) return 0; // nothing was open (countClosing)
  const { rows } = await c.query<{ n: number }>(
    `WITH upd AS (
       UPDATE facilities f SET status = 'closed', closed_on = $1, version = f.version + 1, updated_at = now()
       WHERE f.status <> 'closed' AND NOT EXISTS (SELECT 1 FROM listed_nos l WHERE l.facility_no = f.facility_no)
       RETURNING f.id, f.status
     ),
     aud AS (
       INSERT INTO audit_log (actor_username, entity, entity_id, action, before, after)
       SELECT 'import', 'facility', id::text, 'update', NULL, jsonb_build_object('status', 'closed', 'closed_on', $1::date) FROM upd
     )
     SELECT count(*)::int AS n FROM upd`,
    [asOf],
  );
  return rows[0]!.n;
}

/** What a dependent row says when its facility is not among the accepted ones of this snapshot. */
const facilityCause = (file: string, row = 'x') => `coalesce(
  (SELECT ${rejectedCause('facility_no', `${row}.facility_no`, 'facilities.csv', 'min(r.line)')}
   FROM cl_facilities r WHERE r.facility_no = ${row}.facility_no AND r.reason IS NOT NULL HAVING count(*) > 0),
  'facility_no ' || ${row}.facility_no || ' is not in facilities.csv') /* ${file} */`;

/** Why an installment row is refused on its own values (NULL when they are fine). */
const INSTALLMENT_VALUE_PROBLEM = `CASE
    WHEN s.facility_no IS NULL THEN 'facility_no is required'
    WHEN s.seq IS NULL AND s.seq_bad IS NULL THEN 'seq is required'
    WHEN s.due_on IS NULL AND s.due_on_bad IS NULL THEN 'due_on is required'
    WHEN s.amount IS NULL AND s.amount_bad IS NULL THEN 'amount is required'
    WHEN s.seq IS NULL THEN 'bad number in seq: ' || s.seq_bad
    WHEN s.due_on IS NULL THEN 'bad date in due_on: ' || s.due_on_bad
    WHEN s.amount IS NULL THEN 'bad amount in amount: ' || s.amount_bad
    WHEN s.paid_amount_bad IS NOT NULL THEN 'bad amount in paid_amount: ' || s.paid_amount_bad
    WHEN s.paid_on_bad IS NOT NULL THEN 'bad date in paid_on: ' || s.paid_on_bad
  END`;

/**
 * The accepted installments of the snapshot with their facility's id: values fine (the complement of
 * INSTALLMENT_VALUE_PROBLEM, as plain column tests the planner can estimate: behind a CASE it guessed
 * 0.5% of the rows and chose a per-row nested loop), facility listed and accepted, key not repeated.
 * Read where needed rather than written out: on a national book it is tens of millions of rows, and
 * writing them to a table of their own cost more than reading twice.
 */
const acceptedInstallments = (repeats: boolean) => `
  SELECT lf.id AS facility_id, s.seq, s.due_on, s.amount, coalesce(s.paid_amount, 0) AS paid_amount, s.paid_on
  FROM stg_installments s JOIN listed_facilities lf ON lf.facility_no = s.facility_no
  ${repeats ? 'LEFT JOIN installment_repeats d ON d.line = s.line' : ''}
  WHERE s._reject IS NULL AND s.seq IS NOT NULL AND s.due_on IS NOT NULL AND s.amount IS NOT NULL
    AND s.paid_amount_bad IS NULL AND s.paid_on_bad IS NULL
    ${repeats ? 'AND d.line IS NULL' : ''}`;

/**
 * Installments: a listed facility's schedule replaced wholesale when it differs from the stored one.
 * On a first load (no listed facility has a stored schedule) repeated keys are not looked for up
 * front — sorting tens of millions of keys for the rare repeat was the costliest pass — because the
 * table's key refuses them anyway: only then is the load undone to a savepoint and done again with
 * the repeats found and rejected. Once schedules are stored an unchanged facility's rows are never
 * written, so nothing would refuse an exact repeat in them: the repeats are found first.
 */
export async function applyInstallments(c: Client): Promise<number> {
  await c.query(`
    CREATE TEMP TABLE installments_stored ON COMMIT DROP AS
      SELECT l.id AS facility_id FROM listed_facilities l
      WHERE EXISTS (SELECT 1 FROM installments i WHERE i.facility_id = l.id);
    CREATE UNIQUE INDEX ON installments_stored (facility_id);
    ANALYZE installments_stored;
  `);
  const withRepeatsFound = async () => loadInstallments(c, await findInstallmentRepeats(c));
  if ((await count(c, 'SELECT count(*)::int AS n FROM installments_stored')) > 0) return withRepeatsFound();
  return unlessKeyRefuses(c, 'installments', () => loadInstallments(c, false), withRepeatsFound);
}

/**
 * Runs `hopeful` under a savepoint; if a unique key of `table` refuses one of its rows (23505), undoes
 * it and runs `careful` instead. For writes whose rows are nearly always unique, where making sure
 * first costs a sort of the whole snapshot.
 */
async function unlessKeyRefuses<T>(
  c: Client,
  table: string,
  hopeful: () => Promise<T>,
  careful: () => Promise<T>,
): Promise<T> {
  await c.query('SAVEPOINT unless_key_refuses');
  try {
    const result = await hopeful();
    await c.query('RELEASE SAVEPOINT unless_key_refuses');
    return result;
  } catch (err) {
    const refused = err as pg.DatabaseError;
    if (refused.code !== '23505' || refused.table !== table) throw err;
    await c.query('ROLLBACK TO SAVEPOINT unless_key_refuses');
    return careful();
  }
}

/** Each repeat of a (facility, seq) key with the first line of its key; whether there is any. */
async function findInstallmentRepeats(c: Client): Promise<boolean> {
  await c.query(`
    -- Rows of an unknown facility or with a bad seq are rejected for that before any repeat.
    CREATE TEMP TABLE installment_repeats ON COMMIT DROP AS
      SELECT line, first_line FROM (
        SELECT s.line, min(s.line) OVER (PARTITION BY lf.id, s.seq) AS first_line
        FROM stg_installments s JOIN listed_facilities lf ON lf.facility_no = s.facility_no
        WHERE s._reject IS NULL AND s.seq IS NOT NULL
      ) k WHERE line <> first_line;
    CREATE UNIQUE INDEX ON installment_repeats (line);
    ANALYZE installment_repeats;
  `);
  return (await count(c, 'SELECT count(*)::int AS n FROM installment_repeats')) > 0;
}

/**
 * Writes the schedules that changed and rejects the installments that cannot be taken. When every
 * listed facility's schedule is written (a first load) and that took every readable row, nothing
 * was refused: the rejects pass — a second read of every row — is left out.
 */
async function loadInstallments(c: Client, repeats: boolean): Promise<number> {
  const accepted = acceptedInstallments(repeats);
  await c.query(`
    -- a facility without a stored schedule takes the snapshot's rows; one with it, only if they differ
    CREATE TEMP TABLE installments_changed ON COMMIT DROP AS
      SELECT l.id AS facility_id FROM listed_facilities l
      WHERE NOT EXISTS (SELECT 1 FROM installments_stored s WHERE s.facility_id = l.id);
    INSERT INTO installments_changed
      SELECT DISTINCT coalesce(n.facility_id, o.facility_id)
      FROM (SELECT n.* FROM (${accepted}) n JOIN installments_stored USING (facility_id)) n
      FULL JOIN (SELECT i.* FROM installments i JOIN installments_stored USING (facility_id)) o
        ON o.facility_id = n.facility_id AND o.seq = n.seq
      WHERE n.facility_id IS NULL OR o.facility_id IS NULL
        OR (n.due_on, n.amount, n.paid_amount, n.paid_on) IS DISTINCT FROM (o.due_on, o.amount, o.paid_amount, o.paid_on);
    CREATE UNIQUE INDEX ON installments_changed (facility_id);
    ANALYZE installments_changed;
  `);
  const { rows: sizes } = await c.query<{ readable: number; listed: number; changed: number }>(
    `SELECT (SELECT count(*) FROM stg_installments WHERE _reject IS NULL)::int AS readable,
            (SELECT count(*) FROM listed_facilities)::int AS listed,
            (SELECT count(*) FROM installments_changed)::int AS changed`,
  );
  const { readable, listed, changed } = sizes[0]!;
  const everySchedule = changed === listed;
  // rows to write, estimated from the share of facilities whose schedule changes
  const writing = listed === 0 ? 0 : Math.round((readable * changed) / listed);
  const results = await bulkWrite(
    c,
    'installments',
    writing,
    () =>
      c.query(`
    DELETE FROM installments WHERE facility_id IN (SELECT facility_id FROM installments_changed);
    INSERT INTO installments (facility_id, seq, due_on, amount, paid_amount, paid_on)
      SELECT n.facility_id, n.seq, n.due_on, n.amount, n.paid_amount, n.paid_on
      FROM (${accepted}) n ${everySchedule ? '' : 'JOIN installments_changed USING (facility_id)'};
  `) as unknown as Promise<pg.QueryResult[]>,
    { rebuildKey: true },
  );
  const inserted = results[1]!.rowCount ?? 0;
  // the daily run computes these afresh (migration 0020)
  await c.query(
    'INSERT INTO figures_stale SELECT facility_id FROM installments_changed ON CONFLICT DO NOTHING',
  );
  if (everySchedule && inserted === readable) return inserted;
  await c.query(`
    INSERT INTO imp_rejects
    SELECT 'installments.csv', x.line, x.reason FROM (
      SELECT s.line, s.facility_no, coalesce(${INSTALLMENT_VALUE_PROBLEM}, CASE
          WHEN lf.id IS NULL THEN ${facilityCause('installments.csv', 's')}
          ${repeats ? `WHEN d.first_line IS NOT NULL THEN 'duplicate seq ' || s.seq || ' of facility_no ' || s.facility_no || ' (first at line ' || d.first_line || ')'` : ''}
        END) AS reason
      FROM stg_installments s
      LEFT JOIN listed_facilities lf ON lf.facility_no = s.facility_no
      ${repeats ? 'LEFT JOIN installment_repeats d ON d.line = s.line' : ''}
      WHERE s._reject IS NULL
    ) x WHERE x.reason IS NOT NULL;
  `);
  return (
    readable - (await count(c, "SELECT count(*)::int AS n FROM imp_rejects WHERE file = 'installments.csv'"))
  );
}

export async function applyGuarantors(c: Client): Promise<number> {
  await c.query(`
    CREATE TEMP TABLE cl_guarantors ON COMMIT DROP AS
    SELECT x.*, lf.id AS facility_id, cu.id AS customer_id,
      coalesce(x.first_name_raw, cu.first_name) AS first_name, coalesce(x.last_name_raw, cu.last_name) AS last_name,
      coalesce(x.mobile_ok, CASE WHEN x.mobile_raw IS NULL THEN cu.mobile END) AS mobile,
      x.national_id_ok AS national_id,
      coalesce(x.address_raw, cu.address) AS address,
      CASE
        WHEN x.facility_no IS NULL THEN 'facility_no is required'
        WHEN x.customer_no IS NULL AND (x.first_name_raw IS NULL OR x.last_name_raw IS NULL)
          THEN 'first_name and last_name are required without customer_no'
        WHEN lf.id IS NULL THEN ${facilityCause('guarantors.csv')}
        WHEN x.customer_no IS NOT NULL AND cu.id IS NULL THEN coalesce(
          (SELECT ${rejectedCause('customer_no', 'x.customer_no', 'customers.csv', 'min(r.line)')}
           FROM cl_customers r WHERE r.customer_no = x.customer_no AND r.reason IS NOT NULL HAVING count(*) > 0),
          'unknown customer_no ' || x.customer_no)
      END AS reason
    FROM (
      SELECT s.line, s.facility_no AS facility_no, s.customer_no AS customer_no,
        s.first_name COLLATE "fa-x-icu" AS first_name_raw, s.last_name COLLATE "fa-x-icu" AS last_name_raw,
        coalesce(s.national_id, s.national_id_bad) AS national_id_raw, s.national_id AS national_id_ok, coalesce(s.mobile, s.mobile_bad) AS mobile_raw, s.mobile AS mobile_ok, s.address AS address_raw
      FROM stg_guarantors s WHERE s._reject IS NULL
    ) x
    LEFT JOIN listed_facilities lf ON lf.facility_no = x.facility_no
    LEFT JOIN customers cu ON cu.customer_no = x.customer_no
  `);
  await c.query('ANALYZE cl_guarantors');
  await collectRejects(c, 'guarantors.csv', 'cl_guarantors');
  await c.query(`
    CREATE TEMP TABLE new_guarantors ON COMMIT DROP AS
      SELECT facility_id, (row_number() OVER (PARTITION BY facility_id ORDER BY line))::integer AS seq,
        customer_id, first_name, last_name, national_id, mobile, address,
        array_remove(ARRAY[
          CASE WHEN mobile IS NULL THEN CASE WHEN mobile_raw IS NULL THEN 'mobile_missing' ELSE 'mobile_invalid' END END,
          CASE WHEN national_id IS NULL AND national_id_raw IS NOT NULL THEN 'national_id_invalid' END
        ]::text[], NULL) AS incomplete_reasons
      FROM cl_guarantors WHERE reason IS NULL;
    CREATE TEMP TABLE guarantors_changed ON COMMIT DROP AS
      SELECT DISTINCT coalesce(n.facility_id, o.facility_id) AS facility_id
      FROM new_guarantors n
      FULL JOIN (SELECT g.* FROM guarantors g JOIN listed_facilities l ON l.id = g.facility_id) o
        ON o.facility_id = n.facility_id AND o.seq = n.seq
      WHERE n.facility_id IS NULL OR o.facility_id IS NULL
        OR (n.customer_id, n.first_name, n.last_name, n.national_id, n.mobile, n.address, n.incomplete_reasons)
           IS DISTINCT FROM (o.customer_id, o.first_name, o.last_name, o.national_id, o.mobile, o.address, o.incomplete_reasons);
  `);
  const writing = await count(
    c,
    'SELECT count(*)::int AS n FROM new_guarantors JOIN guarantors_changed USING (facility_id)',
  );
  await bulkWrite(
    c,
    'guarantors',
    writing,
    () =>
      c.query(`
    DELETE FROM guarantors WHERE facility_id IN (SELECT facility_id FROM guarantors_changed);
    INSERT INTO guarantors (facility_id, seq, customer_id, first_name, last_name, national_id, mobile, address, incomplete_reasons)
      SELECT n.facility_id, n.seq, n.customer_id, n.first_name, n.last_name, n.national_id, n.mobile, n.address, n.incomplete_reasons
      FROM new_guarantors n JOIN guarantors_changed USING (facility_id);
  `),
    { rebuildKey: true },
  );
  return count(c, 'SELECT count(*)::int AS n FROM new_guarantors');
}

export async function applyPayments(c: Client, importId: string): Promise<number> {
  await c.query(`
    CREATE TEMP TABLE cl_payments ON COMMIT DROP AS
    SELECT x.line, x.reference, x.paid_on, x.amount, f.id AS facility_id, CASE
        WHEN x.facility_no IS NULL THEN 'facility_no is required'
        WHEN x.paid_on_raw IS NULL THEN 'paid_on is required'
        WHEN x.amount_raw IS NULL THEN 'amount is required'
        WHEN x.paid_on IS NULL THEN 'bad date in paid_on: ' || x.paid_on_raw
        WHEN x.amount IS NULL THEN 'bad amount in amount: ' || x.amount_raw
        WHEN f.id IS NULL THEN ${facilityCause('payments.csv')}
      END AS reason
    FROM (
      SELECT s.line, s.facility_no AS facility_no, s.reference AS reference,
        coalesce(s.paid_on::text, s.paid_on_bad) AS paid_on_raw, s.paid_on AS paid_on,
        coalesce(s.amount::text, s.amount_bad) AS amount_raw, s.amount AS amount
      FROM stg_payments s WHERE s._reject IS NULL
    ) x
    LEFT JOIN facilities f ON f.facility_no = x.facility_no
  `);
  await c.query('ANALYZE cl_payments');
  await collectRejects(c, 'payments.csv', 'cl_payments');
  const incoming = await count(c, 'SELECT count(*)::int AS n FROM cl_payments WHERE reason IS NULL');
  const newRows = incoming - (await estimatedRows(c, 'payments'));
  // A payment listed twice with its reference is one payment. Such repeats are rare, and the unique
  // index on (facility, reference) refuses them anyway: the payments are written as they come, and
  // only when the index refuses is the write undone and done again keeping each reference's first.
  const write = (firstOfEachReference: boolean) => () =>
    bulkWrite(c, 'payments', newRows, () => insertPayments(c, importId, firstOfEachReference), {
      rebuildKey: true,
    });
  await unlessKeyRefuses(c, 'payments', write(false), write(true));
  return incoming;
}

/**
 * Writes the accepted payments not yet stored (an anti-join over the set, not a conflict check per
 * row; the import lock keeps any other writer of payments out meanwhile). One without a reference
 * is told apart by its facility, date, amount and its occurrence among equal ones in the snapshot.
 */
function insertPayments(c: Client, importId: string, firstOfEachReference: boolean) {
  const referenced = firstOfEachReference
    ? `SELECT DISTINCT ON (facility_id, reference) facility_id, paid_on, amount, reference
       FROM cl_payments WHERE reason IS NULL AND reference IS NOT NULL ORDER BY facility_id, reference, line`
    : `SELECT facility_id, paid_on, amount, reference FROM cl_payments WHERE reason IS NULL AND reference IS NOT NULL`;
  const run = BigInt(importId);
  return c.query(`
    INSERT INTO payments (facility_id, paid_on, amount, reference, occurrence, import_id)
      SELECT n.facility_id, n.paid_on, n.amount, n.reference, 1, ${run}::bigint FROM (${referenced}) n
      WHERE NOT EXISTS (SELECT 1 FROM payments p WHERE p.facility_id = n.facility_id AND p.reference = n.reference);
    INSERT INTO payments (facility_id, paid_on, amount, reference, occurrence, import_id)
      SELECT n.facility_id, n.paid_on, n.amount, NULL, n.occurrence, ${run}::bigint FROM (
        SELECT facility_id, paid_on, amount,
          (row_number() OVER (PARTITION BY facility_id, paid_on, amount ORDER BY line))::integer AS occurrence
        FROM cl_payments WHERE reason IS NULL AND reference IS NULL
      ) n
      WHERE NOT EXISTS (SELECT 1 FROM payments p WHERE p.facility_id = n.facility_id AND p.reference IS NULL
                          AND p.paid_on = n.paid_on AND p.amount = n.amount AND p.occurrence = n.occurrence);
  `);
}

export async function applyAccountBalances(c: Client): Promise<number> {
  await c.query(`
    CREATE TEMP TABLE cl_account_balances ON COMMIT DROP AS
    SELECT x.*, cu.id AS customer_id, CASE
        WHEN x.customer_no IS NULL THEN 'customer_no is required'
        WHEN x.account_no IS NULL THEN 'account_no is required'
        WHEN x.on_date_raw IS NULL THEN 'on_date is required'
        WHEN x.balance_raw IS NULL THEN 'balance is required'
        WHEN x.on_date IS NULL THEN 'bad date in on_date: ' || x.on_date_raw
        WHEN x.balance IS NULL THEN 'bad amount in balance: ' || x.balance_raw
        WHEN x.first_line <> x.line THEN 'duplicate account_no ' || x.account_no || ' on ' || x.on_date_raw || ' (first at line ' || x.first_line || ')'
        WHEN cu.id IS NULL THEN coalesce(
          (SELECT ${rejectedCause('customer_no', 'x.customer_no', 'customers.csv', 'min(r.line)')}
           FROM cl_customers r WHERE r.customer_no = x.customer_no AND r.reason IS NOT NULL HAVING count(*) > 0),
          'unknown customer_no ' || x.customer_no)
      END AS reason
    FROM (
      SELECT s.line, s.customer_no AS customer_no, s.account_no AS account_no,
        s.account_type AS account_type,
        coalesce(s.on_date::text, s.on_date_bad) AS on_date_raw, s.on_date AS on_date,
        coalesce(s.balance::text, s.balance_bad) AS balance_raw, s.balance AS balance,
        min(s.line) OVER (PARTITION BY s.customer_no, s.account_no, s.on_date) AS first_line
      FROM stg_account_balances s WHERE s._reject IS NULL
    ) x
    LEFT JOIN customers cu ON cu.customer_no = x.customer_no
  `);
  await collectRejects(c, 'account_balances.csv', 'cl_account_balances');
  const valid = await count(c, 'SELECT count(*)::int AS n FROM cl_account_balances WHERE reason IS NULL');
  // set-based, not ON CONFLICT (a conflict check per row cost 19 µs a balance); keys are unique in
  // the accepted rows (a repeat is rejected above), so a bulk load may rebuild the key afterwards
  await bulkWrite(
    c,
    'account_balances',
    valid - (await estimatedRows(c, 'account_balances')),
    () =>
      c.query(`
    UPDATE account_balances a SET account_type = n.account_type, balance = n.balance
      FROM cl_account_balances n
      WHERE n.reason IS NULL AND a.customer_id = n.customer_id AND a.account_no = n.account_no
        AND a.on_date = n.on_date AND (a.account_type, a.balance) IS DISTINCT FROM (n.account_type, n.balance);
    INSERT INTO account_balances (customer_id, account_no, account_type, on_date, balance)
      SELECT n.customer_id, n.account_no, n.account_type, n.on_date, n.balance FROM cl_account_balances n
      WHERE n.reason IS NULL AND NOT EXISTS (SELECT 1 FROM account_balances a
        WHERE a.customer_id = n.customer_id AND a.account_no = n.account_no AND a.on_date = n.on_date);
  `),
    { rebuildKey: true },
  );
  return valid;
}

export async function rejectsOf(c: Client): Promise<{ file: string; line: number; reason: string }[]> {
  await rejectUnreadable(c);
  const { rows } = await c.query<{ file: string; line: number; reason: string }>(
    'SELECT file, line, reason FROM imp_rejects ORDER BY file, line',
  );
  return rows;
}
