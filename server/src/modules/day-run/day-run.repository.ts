import type pg from 'pg';
import { countKeys } from '../../platform/db/key-share.js';

/**
 * All SQL of the daily run. Every function takes the raw pg client that holds the run's one
 * transaction. The work is set-based over the whole book: run_figures (every facility that is not
 * closed, as of the business date) → facility_figures_stored (rows whose figures changed) → class history
 * → the books (targets per ledger head, the core's own postings, transfer vouchers).
 */
export type Client = pg.PoolClient;
type Queryable = Client | pg.Pool;

const DAY_RUN_LOCK = 7_446_003; // advisory lock key: one run of the day at a time
const IMPORT_LOCK = 7_446_002; // the import's (import.repository.ts)

export type RunKind = 'forward' | 'latest' | 'what_if';
export type PaymentPosting = 'current' | 'class';

/** Takes the run's lock for the transaction; false when another session holds it. */
/**
 * Whether a day run holds its lock now, read from pg_locks rather than taken (a dry run must never make
 * the run itself refuse to start); a bigint key shows there as two halves.
 */
export async function isDayRunLocked(c: Queryable): Promise<boolean> {
  const { rows } = await c.query<{ running: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (
       SELECT oid FROM pg_database WHERE datname = current_database())
       AND classid::bigint = $1::bigint >> 32 AND objid::bigint = $1::bigint & 4294967295 AND objsubid = 1) AS running`,
    [DAY_RUN_LOCK],
  );
  return rows[0]!.running;
}

export async function tryLockDayRun(c: Client): Promise<boolean> {
  const { rows } = await c.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [
    DAY_RUN_LOCK,
  ]);
  if (!rows[0]!.locked) return false;
  // the run reads one snapshot: it waits for an import in progress and keeps imports out until it ends
  await c.query('SELECT pg_advisory_xact_lock($1)', [IMPORT_LOCK]);
  // the whole-book aggregates and joins of this one transaction may use more memory than a request
  await c.query("SET LOCAL work_mem = '512MB'");
  // A run that rewrites much of the figures or the books (the first run, a day after a large import)
  // touches most of their pages once after a checkpoint: compressing each page image (pglz, the only
  // method most builds have) cost more than the writes. A role that may not change it keeps the server's.
  await c.query(
    `SELECT set_config('wal_compression', 'off', true) WHERE has_parameter_privilege('wal_compression', 'SET')`,
  );
  return true;
}

// ---- the run's record ------------------------------------------------------------------------------

export interface RunHolder {
  id: string;
  business_date: string;
  started_by_name: string | null;
  source: string;
  started_at: Date | null;
}

export async function insertRun(
  c: Queryable,
  run: {
    date: string;
    source: 'cli' | 'ui' | 'schedule';
    openingVouchers: boolean;
    userId?: number;
    userName?: string;
  },
): Promise<string> {
  const { rows } = await c.query<{ id: string }>(
    `INSERT INTO day_runs (business_date, source, opening_vouchers, started_by, started_by_name)
     VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [run.date, run.source, run.openingVouchers, run.userId ?? null, run.userName ?? null],
  );
  return rows[0]!.id;
}

const BACKEND_OF_SESSION = `(SELECT pid || '@' || backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid())`;

/** The run starts on this session (before its transaction, so that others see it running). */
export async function startRun(c: Client, id: string): Promise<void> {
  await c.query(
    `UPDATE day_runs SET status = 'running', started_at = now(), finished_at = NULL, message = NULL,
       progress = 0, stage = NULL, backend = ${BACKEND_OF_SESSION} WHERE id = $1`,
    [id],
  );
}

/** The run that holds the lock now: another one running on a live session. */
export async function findRunningRun(c: Queryable, except: string): Promise<RunHolder | undefined> {
  const { rows } = await c.query<RunHolder>(
    `SELECT r.id, r.business_date, r.started_by_name, r.source, r.started_at FROM day_runs r
     WHERE r.status = 'running' AND r.id <> $1
       AND EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid || '@' || a.backend_start = r.backend)
     ORDER BY r.started_at LIMIT 1`,
    [except],
  );
  return rows[0];
}

/** Runs left running by a process that died: their transaction rolled back, nothing was changed. */
export async function failInterruptedDayRuns(c: Queryable): Promise<number> {
  const { rowCount } = await c.query(
    `UPDATE day_runs r SET status = 'failed', finished_at = now(),
       message = 'اجرا پیش از پایان متوقف شد؛ هیچ تغییری ثبت نشد و می‌توان آن را دوباره اجرا کرد'
     WHERE r.status = 'running' AND r.backend IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid || '@' || a.backend_start = r.backend)`,
  );
  return rowCount ?? 0;
}

export async function setRunProgress(
  c: Queryable,
  id: string,
  progress: number,
  stage: string,
): Promise<void> {
  await c.query('UPDATE day_runs SET progress = $2, stage = $3 WHERE id = $1', [id, progress, stage]);
}

export async function finishRun(
  c: Queryable,
  id: string,
  outcome: {
    kind: RunKind;
    snapshotId: string;
    facilities: number;
    classChanges: number;
    vouchers: number;
    seconds: number;
  },
): Promise<void> {
  await c.query(
    `UPDATE day_runs SET status = 'succeeded', kind = $2, snapshot_id = $3, facilities = $4,
       class_changes = $5, vouchers = $6, seconds = $7, progress = 1, stage = NULL, finished_at = now()
     WHERE id = $1`,
    [
      id,
      outcome.kind,
      outcome.snapshotId,
      outcome.facilities,
      outcome.classChanges,
      outcome.vouchers,
      outcome.seconds,
    ],
  );
}

export async function endRun(
  c: Queryable,
  id: string,
  status: 'failed' | 'refused',
  message: string,
  seconds: number,
): Promise<void> {
  await c.query(
    `UPDATE day_runs SET status = $2, message = $3, seconds = $4, stage = NULL, finished_at = now() WHERE id = $1`,
    [id, status, message, seconds],
  );
}

// ---- business dates --------------------------------------------------------------------------------

/** The latest snapshot the run works on. */
export async function latestSnapshot(c: Queryable): Promise<{ id: string; as_of: string } | undefined> {
  const { rows } = await c.query<{ id: string; as_of: string }>(
    `SELECT id, as_of FROM snapshot_imports WHERE status = 'succeeded' ORDER BY as_of DESC, id DESC LIMIT 1`,
  );
  return rows[0];
}

/** The latest business date a run completed that moved the books (not a what-if). */
export async function latestCompletedDate(c: Queryable): Promise<string | null> {
  const { rows } = await c.query<{ d: string | null }>(
    `SELECT max(business_date) AS d FROM day_runs WHERE status = 'succeeded' AND kind <> 'what_if'`,
  );
  return rows[0]!.d;
}

// ---- figures ---------------------------------------------------------------------------------------

/**
 * The facilities a run reads the installments of, as of `date` (interchange.md, "Derived figures"):
 * those marked stale (new, schedule, status, loan type or rules changed — migration 0020) and those an
 * installment fell due for since their figures were computed (`next_due_on`, migration 0021); a
 * what-if (a date before figures already computed) reads them all. Every other facility keeps its
 * overdue installments: its overdue days and penalty grow by the days since `as_of`. When most of the
 * book is read, one parallel aggregate over all installments is cheaper than a lookup per facility.
 */
async function findFacilitiesToRead(c: Client, date: string, whole: boolean): Promise<void> {
  await c.query(`CREATE TEMP TABLE run_stale ON COMMIT DROP AS SELECT facility_id FROM figures_stale`);
  await c.query('ALTER TABLE run_stale ADD PRIMARY KEY (facility_id)');
  await c.query(
    whole
      ? `CREATE TEMP TABLE run_read ON COMMIT DROP AS SELECT id AS facility_id FROM facilities WHERE status <> 'closed'`
      : `CREATE TEMP TABLE run_read ON COMMIT DROP AS
         SELECT facility_id FROM run_stale
         UNION SELECT facility_id FROM facility_figures_stored WHERE next_due_on < $1::date`,
    whole ? [] : [date],
  );
  await c.query('ALTER TABLE run_read ADD PRIMARY KEY (facility_id)');
  await c.query('ANALYZE run_stale, run_read');
}

/**
 * The installment figures of the facilities read, as of `date`: only unpaid installments count (an
 * overpaid one has no unpaid part); overdue ones are due before the date; Σ unpaid × days late for
 * the penalty; the first unpaid installment due on or after the date.
 */
async function aggregateInstallments(c: Client, date: string): Promise<{ count: number; few: boolean }> {
  // The book's size: the figures of a first run are not analysed yet when the next day comes, and the
  // facilities (which the import analyses) stand in.
  const read = await countKeys(c, 'SELECT count(*) FROM run_read', ['facility_figures_stored', 'facilities']);
  // a temp table cannot be read by parallel workers: the whole-book aggregate reads installments alone
  const source = read.few
    ? 'run_read r JOIN installments i ON i.facility_id = r.facility_id'
    : 'installments i';
  await c.query(
    `CREATE TEMP TABLE run_installments ON COMMIT DROP AS
     SELECT i.facility_id,
       count(*) FILTER (WHERE i.due_on < $1::date)::int AS overdue_installments,
       min(i.due_on) FILTER (WHERE i.due_on < $1::date) AS oldest_due_on,
       coalesce(sum(i.amount - i.paid_amount) FILTER (WHERE i.due_on < $1::date), 0) AS overdue_amount,
       coalesce(sum((i.amount - i.paid_amount)::numeric * ($1::date - i.due_on))
                FILTER (WHERE i.due_on < $1::date), 0) AS unpaid_days,
       sum(i.amount - i.paid_amount) AS unpaid_amount,
       min(i.due_on) FILTER (WHERE i.due_on >= $1::date) AS next_due_on
     FROM ${source}
     WHERE i.paid_amount < i.amount
     GROUP BY i.facility_id`,
    [date],
  );
  await c.query('ALTER TABLE run_installments ADD PRIMARY KEY (facility_id)');
  await c.query('ANALYZE run_installments');
  return read;
}

/**
 * The facilities in arrears whose class `date` changes without their installments being read: their
 * oldest overdue due date crossed a threshold of the loan types between the date the stored rows hold
 * as of (`figures_clock`) and `date` — one index range per threshold. Before any run (no date yet)
 * every stored row in arrears is taken.
 */
async function findCrossings(c: Client, date: string): Promise<void> {
  const { rows } = await c.query<{ as_of: string }>('SELECT as_of FROM figures_clock');
  const since = rows[0]?.as_of;
  await c.query(
    since
      ? `CREATE TEMP TABLE run_crossed ON COMMIT DROP AS
         SELECT DISTINCT x.facility_id
         FROM (SELECT DISTINCT unnest(ARRAY[past_due_after, deferred_after, doubtful_after]) AS t FROM loan_types) th
         JOIN facility_figures_stored x ON x.oldest_due_on >= $2::date - th.t AND x.oldest_due_on < $1::date - th.t
         WHERE x.overdue_amount > 0 AND x.cbi_class IS NOT NULL`
      : `CREATE TEMP TABLE run_crossed ON COMMIT DROP AS
         SELECT facility_id FROM facility_figures_stored WHERE overdue_amount > 0 AND cbi_class IS NOT NULL`,
    since ? [date, since] : [],
  );
  await c.query('ANALYZE run_crossed');
}

/**
 * The figures of every facility that is not closed, as of `date`: read afresh (above), or carried from
 * the stored figures of a facility in arrears whose overdue installments did not change — its days and
 * Σ unpaid × days grow by the days since they were computed. The view `facility_figures` carries every
 * stored row to the books' date the same way (migration 0039), so only the rows whose class changes
 * by `date` are carried here (`run_crossed`): they move the books and the class history. A facility
 * with nothing overdue and nothing fallen due keeps its figures as they are. The penalty of each
 * overdue installment is unpaid × rate / 100 × days / basis; since the rate and the basis are the
 * facility's own, the sum is rate × Σ(unpaid × days) / (100 × basis), taken in integers (the rate in
 * ten-thousandths) and rounded down once, exactly. Class by the loan type's thresholds; a written-off
 * facility has none. Returns how many facilities were read afresh.
 */
export async function computeFigures(c: Client, date: string, whole: boolean): Promise<number> {
  await findFacilitiesToRead(c, date, whole);
  const read = await aggregateInstallments(c, date);
  await findCrossings(c, date);
  // a day's facilities by their key, as their installments were (the planner hashed all 1.2M)
  const facility = read.few
    ? `CROSS JOIN LATERAL (SELECT f.id, f.loan_type_id, f.branch_id, f.status, f.annual_rate FROM facilities f
         WHERE f.id = r.facility_id OFFSET 0) f`
    : 'JOIN facilities f ON f.id = r.facility_id';
  await c.query(
    `CREATE TEMP TABLE run_figures ON COMMIT DROP AS
     WITH figures AS (
       SELECT f.id AS facility_id, f.loan_type_id, f.branch_id, f.status, f.status = 'written_off' AS written_off,
         coalesce(i.overdue_installments, 0) AS overdue_installments,
         coalesce($1::date - i.oldest_due_on, 0) AS overdue_days, i.oldest_due_on,
         coalesce(i.overdue_amount, 0)::bigint AS overdue_amount,
         coalesce(i.unpaid_amount, 0)::bigint AS unpaid_amount,
         coalesce(i.unpaid_days, 0) AS overdue_unpaid_days, i.next_due_on,
         round(coalesce(lt.penalty_rate, coalesce(f.annual_rate, 0) + 6) * 10000)::bigint AS penalty_rate_e4,
         false AS carried, NULL::boolean AS days_moved, NULL::text AS prev_booked_key, NULL::text AS prev_ledger_class
       FROM run_read r
       ${facility}
       JOIN loan_types lt ON lt.id = f.loan_type_id
       LEFT JOIN run_installments i ON i.facility_id = r.facility_id
       WHERE f.status <> 'closed'
       UNION ALL
       SELECT ff.facility_id, ff.loan_type_id, ff.branch_id, ff.status, ff.cbi_class IS NULL, ff.overdue_installments,
         ff.overdue_days + ($1::date - ff.as_of), ff.oldest_due_on, ff.overdue_amount, ff.unpaid_amount,
         ff.overdue_unpaid_days + ff.overdue_amount::numeric * ($1::date - ff.as_of), ff.next_due_on,
         ff.penalty_rate_e4, true, $1::date > ff.as_of, ff.booked_key, ff.ledger_class
       FROM run_crossed x JOIN facility_figures_stored ff ON ff.facility_id = x.facility_id
       WHERE NOT EXISTS (SELECT 1 FROM run_read r WHERE r.facility_id = ff.facility_id)
     ), classed AS (
       SELECT figures.*,
         div(overdue_unpaid_days * penalty_rate_e4, 1000000 * lt.day_basis)::bigint AS penalty,
         CASE
           WHEN written_off THEN NULL
           WHEN overdue_days > lt.doubtful_after THEN 'doubtful'
           WHEN overdue_days > lt.deferred_after THEN 'deferred'
           WHEN overdue_days > lt.past_due_after THEN 'past_due'
           ELSE 'current'
         END AS cbi_class,
         lt.class_holds, lt.head_current, lt.head_past_due, lt.head_deferred, lt.head_doubtful,
         lt.day_basis, lt.past_due_after, lt.deferred_after, lt.doubtful_after
       FROM figures JOIN loan_types lt ON lt.id = figures.loan_type_id
     )
     SELECT facility_id, loan_type_id, branch_id, status, written_off, overdue_installments, overdue_days,
       oldest_due_on, overdue_amount, unpaid_amount, penalty, overdue_amount + penalty AS collectible_amount, cbi_class,
       overdue_unpaid_days, next_due_on, penalty_rate_e4, day_basis, past_due_after, deferred_after, doubtful_after,
       carried, days_moved, prev_booked_key, prev_ledger_class,
       -- what the books follow from (see booked_key, migration 0020); none without a class
       CASE WHEN cbi_class IS NOT NULL THEN concat_ws(':', cbi_class,
         CASE WHEN cbi_class = 'current' OR class_holds = 'overdue' THEN overdue_amount ELSE unpaid_amount END,
         unpaid_amount, head_current,
         CASE cbi_class WHEN 'past_due' THEN head_past_due WHEN 'deferred' THEN head_deferred
                        WHEN 'doubtful' THEN head_doubtful END) END AS books_key
     FROM classed`,
    [date],
  );
  await c.query('ALTER TABLE run_figures ADD PRIMARY KEY (facility_id)');
  // its size and keys are what the plans of the next statement need; the other columns' statistics cost more
  await c.query('ANALYZE run_figures (facility_id, carried)');
  return read.count;
}

/** The figures of facilities closed since they were computed are no longer the run's. */
export async function dropClosedFigures(c: Client): Promise<void> {
  await c.query(
    `DELETE FROM facility_figures_stored ff USING run_read r, facilities f
     WHERE ff.facility_id = r.facility_id AND f.id = r.facility_id AND f.status = 'closed'`,
  );
}

/** The facilities whose figures a run covers: every one that is not closed. */
export async function countOpenFacilities(c: Client): Promise<number> {
  const { rows } = await c.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM facilities WHERE status <> 'closed'`,
  );
  return rows[0]!.n;
}

/**
 * Statistics of the tables this run changed more rows of than their statistics know of: autovacuum
 * sees the changes only once the run commits, and the next run may come first — the first run writes
 * the whole book, and the next day would be planned as if the figures, the books and the outbox were
 * empty. Analysed inside the run, they commit with it. A day's run changes a small share of each and
 * leaves them to autovacuum.
 */
export async function analyzeChangedTables(c: Client): Promise<void> {
  const { rows } = await c.query<{ name: string }>(
    `SELECT format('%I.%I', s.schemaname, s.relname) AS name
     FROM pg_stat_xact_user_tables s JOIN pg_class t ON t.oid = s.relid
     WHERE t.relpersistence = 'p'
       AND s.n_tup_ins + s.n_tup_upd + s.n_tup_del > 1000 + greatest(t.reltuples, 0)
     ORDER BY 1`,
  );
  for (const { name } of rows) await c.query(`ANALYZE ${name}`);
}

/** After a run that moved the books: the marks it took are done (a what-if leaves them for it). */
export async function clearStale(c: Client): Promise<void> {
  await c.query('DELETE FROM figures_stale s USING run_stale r WHERE s.facility_id = r.facility_id');
}

const FIGURE_COLUMNS = [
  'overdue_installments',
  'overdue_days',
  'overdue_amount',
  'unpaid_amount',
  'penalty',
  'collectible_amount',
  'cbi_class',
  // the inputs of the next date's figures (migration 0021)
  'overdue_unpaid_days',
  'next_due_on',
  'loan_type_id',
  'penalty_rate_e4',
  'branch_id',
  'status',
  'oldest_due_on',
  // what the view carries them to a later date with (migration 0039)
  'day_basis',
  'past_due_after',
  'deferred_after',
  'doubtful_after',
] as const;

const figuresDiffer = `(${FIGURE_COLUMNS.map((col) => `ff.${col}`).join(', ')})
  IS DISTINCT FROM (${FIGURE_COLUMNS.map((col) => `r.${col}`).join(', ')})`;

/**
 * The facilities this run changes: seen for the first time, figures changed, or (a run that moves the
 * books) books to move — their key differs from the one the books were set from. An unchanged
 * facility is not touched again. The facilities read afresh are compared with their stored figures;
 * a carried one brought its stored row along, and its figures moved exactly when its date did.
 */
export async function findChanges(c: Client, movesBooks: boolean): Promise<void> {
  const booksMove = (booked: string) =>
    `$1::boolean AND r.books_key IS NOT NULL AND r.books_key IS DISTINCT FROM ${booked}`;
  await c.query(
    `CREATE TEMP TABLE run_delta ON COMMIT DROP AS
     SELECT r.*, ff.facility_id IS NULL AS is_new, ff.ledger_class AS old_class,
       ff.facility_id IS NULL OR ${figuresDiffer} AS figures_changed, ${booksMove('ff.booked_key')} AS books_changed
     FROM run_figures r LEFT JOIN facility_figures_stored ff ON ff.facility_id = r.facility_id
     WHERE NOT r.carried AND (ff.facility_id IS NULL OR ${figuresDiffer} OR (${booksMove('ff.booked_key')}))
     UNION ALL
     SELECT r.*, false, r.prev_ledger_class, r.days_moved, ${booksMove('r.prev_booked_key')}
     FROM run_figures r
     WHERE r.carried AND (r.days_moved OR (${booksMove('r.prev_booked_key')}))`,
    [movesBooks],
  );
  await c.query(
    'ANALYZE run_delta (facility_id, is_new, figures_changed, books_changed, cbi_class, old_class)',
  );
}

/**
 * Writes the figures that changed and those of the facilities seen for the first time (with their
 * class and books key when the run moves the books: their books are opened in this run).
 */
export async function saveFigures(c: Client, date: string, movesBooks: boolean): Promise<number> {
  const assign = FIGURE_COLUMNS.map((col) => `${col} = r.${col}`).join(', ');
  const columns = FIGURE_COLUMNS.map((col) => `r.${col}`).join(', ');
  const updated = await c.query(
    `UPDATE facility_figures_stored ff SET as_of = $1, ${assign}
     FROM run_delta r WHERE ff.facility_id = r.facility_id AND NOT r.is_new AND r.figures_changed`,
    [date],
  );
  const inserted = await c.query(
    `INSERT INTO facility_figures_stored (facility_id, as_of, ${FIGURE_COLUMNS.join(', ')}, ledger_class, booked_key)
     SELECT r.facility_id, $1, ${columns},
       CASE WHEN $2::boolean THEN r.cbi_class END, CASE WHEN $2::boolean THEN r.books_key END
     FROM run_delta r WHERE r.is_new`,
    [date, movesBooks],
  );
  // the stored rows now hold as of this date: readers see it when the run commits
  await c.query(
    `INSERT INTO figures_clock (as_of) VALUES ($1) ON CONFLICT (one) DO UPDATE SET as_of = excluded.as_of`,
    [date],
  );
  return (updated.rowCount ?? 0) + (inserted.rowCount ?? 0);
}

/**
 * P7: each class change since the last run that moved the books, kept on the facility. A facility
 * entering the books in a class other than current is recorded too (from no class).
 */
export async function recordClassChanges(c: Client, runId: string, date: string): Promise<number> {
  const { rowCount } = await c.query(
    `INSERT INTO facility_class_changes (facility_id, business_date, run_id, from_class, to_class, overdue_days)
     SELECT r.facility_id, $1, $2, r.old_class, r.cbi_class, r.overdue_days FROM run_delta r
     WHERE r.cbi_class IS NOT NULL AND r.old_class IS DISTINCT FROM r.cbi_class
       AND (r.old_class IS NOT NULL OR r.cbi_class <> 'current')`,
    [date, runId],
  );
  await c.query(
    `UPDATE facility_figures_stored ff SET ledger_class = r.cbi_class FROM run_delta r
     WHERE ff.facility_id = r.facility_id AND NOT r.is_new AND r.cbi_class IS NOT NULL
       AND r.old_class IS DISTINCT FROM r.cbi_class`,
  );
  return rowCount ?? 0;
}

// ---- the books -------------------------------------------------------------------------------------

/**
 * The target of each ledger head (interchange.md, "Vouchers"): the class head holds the overdue
 * amount (or the whole unpaid amount when the loan type says so), the current head the rest of the
 * unpaid amount; a current facility's unpaid amount is all in the current head. Only the facilities
 * whose books key changed; written-off facilities have none (no class, no voucher).
 */
async function computeTargets(c: Client): Promise<void> {
  await c.query(
    `CREATE TEMP TABLE run_targets ON COMMIT DROP AS
     SELECT r.facility_id, t.head, t.class, t.amount
     FROM run_delta r
     JOIN loan_types lt ON lt.id = r.loan_type_id
     CROSS JOIN LATERAL (
       SELECT CASE WHEN r.cbi_class = 'current' OR lt.class_holds = 'overdue' THEN r.overdue_amount
                   ELSE r.unpaid_amount END AS held
     ) h
     CROSS JOIN LATERAL (VALUES
       (CASE r.cbi_class WHEN 'past_due' THEN lt.head_past_due WHEN 'deferred' THEN lt.head_deferred
                         WHEN 'doubtful' THEN lt.head_doubtful END, r.cbi_class, h.held),
       (lt.head_current, 'current', CASE WHEN r.cbi_class = 'current' THEN r.unpaid_amount
                                         ELSE r.unpaid_amount - h.held END)
     ) AS t(head, class, amount)
     WHERE r.books_changed AND t.head IS NOT NULL AND t.amount <> 0`,
  );
  await c.query('ANALYZE run_targets');
}

/**
 * What the books hold for each facility whose books move, before the run touches them: the sum over
 * its heads, and how many heads (none: it enters the books now). A day moves a few percent of the
 * book: a look-up per facility by its key (a subquery with an aggregate is not flattened into a join)
 * costs half of one pass over every ledger row, which the planner prefers; the first run, or a day
 * that moves most of the book, reads them in one pass. Returns whether it read per facility.
 */
async function readBooks(c: Client): Promise<boolean> {
  const perFacility = (
    await countKeys(c, 'SELECT count(*) FROM run_delta WHERE books_changed', ['ledger_balances'])
  ).few;
  await c.query(
    perFacility
      ? `CREATE TEMP TABLE run_booked ON COMMIT DROP AS
         SELECT r.facility_id, b.booked, b.heads FROM run_delta r
         CROSS JOIN LATERAL (SELECT coalesce(sum(lb.amount), 0)::bigint AS booked, count(*)::int AS heads
                             FROM ledger_balances lb WHERE lb.facility_id = r.facility_id) b
         WHERE r.books_changed`
      : `CREATE TEMP TABLE run_booked ON COMMIT DROP AS
         SELECT r.facility_id, coalesce(sum(lb.amount), 0)::bigint AS booked, count(lb.facility_id)::int AS heads
         FROM run_delta r LEFT JOIN ledger_balances lb ON lb.facility_id = r.facility_id
         WHERE r.books_changed GROUP BY r.facility_id`,
  );
  return perFacility;
}

/**
 * A facility's first run sets its books to the targets (the opening balance), without a voucher
 * unless `openingVouchers`: the balances were booked by the core banking system before Vosul.
 */
async function openNewFacilities(c: Client, runId: string, date: string, openingVouchers: boolean) {
  await c.query(
    `CREATE TEMP TABLE run_new ON COMMIT DROP AS SELECT facility_id FROM run_booked WHERE heads = 0`,
  );
  let vouchers = 0;
  if (openingVouchers) {
    const issued = await c.query(
      `INSERT INTO vouchers (facility_id, business_date, run_id, kind)
       SELECT facility_id, $1, $2, 'opening' FROM run_new`,
      [date, runId],
    );
    vouchers = issued.rowCount ?? 0;
    await c.query(
      `INSERT INTO voucher_lines (voucher_id, head, class, debit)
       SELECT v.id, t.head, t.class, t.amount
       FROM vouchers v JOIN run_targets t ON t.facility_id = v.facility_id
       WHERE v.run_id = $1 AND v.kind = 'opening'`,
      [runId],
    );
  }
  await c.query(
    `INSERT INTO ledger_balances (facility_id, head, class, amount, opening)
     SELECT t.facility_id, t.head, t.class, t.amount, t.amount
     FROM run_targets t JOIN run_new n ON n.facility_id = t.facility_id`,
  );
  return vouchers;
}

/**
 * What the core banking system moved itself since the books were last set: the books held the
 * previous unpaid amount, the targets hold today's. A decrease (payments) comes off the posting head
 * first — the current head, or the class head where the bank posts payments there — then the others;
 * an increase goes to the current head. Only facilities already on the books (and not written off).
 */
async function mirrorCorePostings(c: Client, posting: PaymentPosting): Promise<void> {
  await c.query(
    `CREATE TEMP TABLE run_books ON COMMIT DROP AS
     SELECT facility_id, booked FROM run_booked WHERE heads > 0`,
  );
  await c.query(
    `CREATE TEMP TABLE run_moved ON COMMIT DROP AS
     SELECT b.facility_id, b.booked - coalesce(t.target, 0) AS moved
     FROM run_books b
     LEFT JOIN (SELECT facility_id, sum(amount) AS target FROM run_targets GROUP BY facility_id) t
       ON t.facility_id = b.facility_id
     WHERE b.booked <> coalesce(t.target, 0)`,
  );
  const firstClass = posting === 'current' ? `lb.class = 'current'` : `lb.class <> 'current'`;
  await c.query(
    `UPDATE ledger_balances lb SET amount = lb.amount - p.take, core_posted = lb.core_posted + p.take
     FROM (
       SELECT x.facility_id, x.head,
         least(x.amount, greatest(x.moved - coalesce(sum(x.amount) OVER (
           PARTITION BY x.facility_id ORDER BY x.first DESC, x.head
           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0), 0)) AS take
       FROM (SELECT lb.facility_id, lb.head, lb.amount, m.moved, ${firstClass} AS first
             FROM ledger_balances lb JOIN run_moved m ON m.facility_id = lb.facility_id
             WHERE m.moved > 0 AND lb.amount > 0) x
     ) p
     WHERE lb.facility_id = p.facility_id AND lb.head = p.head AND p.take > 0`,
  );
  await c.query(
    `INSERT INTO ledger_balances AS lb (facility_id, head, class, amount, core_posted)
     SELECT m.facility_id, lt.head_current, 'current', -m.moved, m.moved
     FROM run_moved m
     JOIN run_delta r ON r.facility_id = m.facility_id
     JOIN loan_types lt ON lt.id = r.loan_type_id
     WHERE m.moved < 0
     ON CONFLICT (facility_id, head) DO UPDATE
       SET amount = lb.amount + excluded.amount, core_posted = lb.core_posted + excluded.core_posted`,
  );
}

/**
 * The transfers: per facility on the books, the difference between each head's target and its
 * booked amount (after the core's postings they sum to zero). One voucher per facility that moves,
 * debit the heads that grow, credit those that shrink; then the books hold the targets.
 */
async function issueTransfers(c: Client, runId: string, date: string, perFacility: boolean): Promise<number> {
  // OFFSET 0 keeps the subquery a look-up by the facility's key (see readBooks)
  const books = perFacility
    ? `SELECT x.* FROM run_books b CROSS JOIN LATERAL (
         SELECT lb.facility_id, lb.head, lb.class, lb.amount FROM ledger_balances lb
         WHERE lb.facility_id = b.facility_id OFFSET 0) x`
    : `SELECT lb.* FROM ledger_balances lb JOIN run_books b ON b.facility_id = lb.facility_id`;
  await c.query(
    `CREATE TEMP TABLE run_diffs ON COMMIT DROP AS
     SELECT coalesce(t.facility_id, lb.facility_id) AS facility_id, coalesce(t.head, lb.head) AS head,
       coalesce(t.class, lb.class) AS class, coalesce(t.amount, 0) - coalesce(lb.amount, 0) AS diff
     FROM (SELECT t.* FROM run_targets t JOIN run_books b ON b.facility_id = t.facility_id) t
     FULL JOIN (${books}) lb ON lb.facility_id = t.facility_id AND lb.head = t.head
     WHERE coalesce(t.amount, 0) <> coalesce(lb.amount, 0)`,
  );
  const issued = await c.query(
    `INSERT INTO vouchers (facility_id, business_date, run_id, kind)
     SELECT DISTINCT facility_id, $1::date, $2::bigint, 'transfer' FROM run_diffs`,
    [date, runId],
  );
  await c.query(
    `INSERT INTO voucher_lines (voucher_id, head, class, debit, credit)
     SELECT v.id, d.head, d.class, greatest(d.diff, 0), greatest(-d.diff, 0)
     FROM run_diffs d JOIN vouchers v ON v.facility_id = d.facility_id AND v.run_id = $1 AND v.kind = 'transfer'`,
    [runId],
  );
  await c.query(
    `INSERT INTO ledger_balances AS lb (facility_id, head, class, amount)
     SELECT facility_id, head, class, diff FROM run_diffs
     ON CONFLICT (facility_id, head) DO UPDATE SET amount = lb.amount + excluded.amount, class = excluded.class`,
  );
  return issued.rowCount ?? 0;
}

/** The books of a run that moves them: opening balances, the core's postings, the transfers. */
export async function postVouchers(
  c: Client,
  runId: string,
  date: string,
  options: { openingVouchers: boolean; posting: PaymentPosting },
): Promise<number> {
  await computeTargets(c);
  const perFacility = await readBooks(c);
  const opened = await openNewFacilities(c, runId, date, options.openingVouchers);
  await mirrorCorePostings(c, options.posting);
  const transfers = await issueTransfers(c, runId, date, perFacility);
  // the books now hold these facilities' targets (new rows got their key when written)
  await c.query(
    `UPDATE facility_figures_stored ff SET booked_key = r.books_key FROM run_delta r
     WHERE ff.facility_id = r.facility_id AND r.books_changed AND NOT r.is_new`,
  );
  return opened + transfers;
}
