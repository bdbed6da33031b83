import type pg from 'pg';

/**
 * All SQL of the daily run. Every function takes the raw pg client that holds the run's one
 * transaction. The work is set-based over the whole book: run_figures (every facility that is not
 * closed, as of the business date) → facility_figures (rows whose figures changed) → class history
 * → the books (targets per ledger head, the core's own postings, transfer vouchers).
 */
export type Client = pg.PoolClient;
type Queryable = Client | pg.Pool;

const DAY_RUN_LOCK = 7_446_003; // advisory lock key: one run of the day at a time

export type RunKind = 'forward' | 'latest' | 'what_if';
export type PaymentPosting = 'current' | 'class';

/** Takes the run's lock for the transaction; false when another session holds it. */
export async function tryLockDayRun(c: Client): Promise<boolean> {
  const { rows } = await c.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [
    DAY_RUN_LOCK,
  ]);
  if (!rows[0]!.locked) return false;
  // the whole-book aggregates and joins of this one transaction may use more memory than a request
  await c.query("SET LOCAL work_mem = '512MB'");
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
 * Every facility that is not closed, as of `date` (interchange.md, "Derived figures"). Only unpaid
 * installments count (an overpaid one has no unpaid part). The penalty of each overdue installment is
 * unpaid × rate / 100 × days / basis; since the rate and the basis are the facility's own, the sum is
 * rate × Σ(unpaid × days) / (100 × basis), taken in integers (the rate in ten-thousandths) and
 * rounded down once, exactly. Class by the loan type's thresholds; a written-off facility has none.
 */
export async function computeFigures(c: Client, date: string): Promise<number> {
  const { rowCount } = await c.query(
    `CREATE TEMP TABLE run_figures ON COMMIT DROP AS
     WITH unpaid AS (
       SELECT facility_id,
         count(*) FILTER (WHERE due_on < $1::date)::int AS overdue_installments,
         min(due_on) FILTER (WHERE due_on < $1::date) AS oldest_due_on,
         coalesce(sum(amount - paid_amount) FILTER (WHERE due_on < $1::date), 0) AS overdue_amount,
         sum(amount - paid_amount) AS unpaid_amount,
         sum((amount - paid_amount)::numeric * ($1::date - due_on)) FILTER (WHERE due_on < $1::date) AS unpaid_days
       FROM installments
       WHERE paid_amount < amount
       GROUP BY facility_id
     ), figures AS (
       SELECT f.id AS facility_id, f.loan_type_id, f.status = 'written_off' AS written_off,
         coalesce(u.overdue_installments, 0) AS overdue_installments,
         coalesce($1::date - u.oldest_due_on, 0) AS overdue_days,
         coalesce(u.overdue_amount, 0)::bigint AS overdue_amount,
         coalesce(u.unpaid_amount, 0)::bigint AS unpaid_amount,
         coalesce(div(u.unpaid_days * round(coalesce(lt.penalty_rate, coalesce(f.annual_rate, 0) + 6) * 10000),
                      1000000 * lt.day_basis), 0)::bigint AS penalty,
         lt.past_due_after, lt.deferred_after, lt.doubtful_after
       FROM facilities f
       JOIN loan_types lt ON lt.id = f.loan_type_id
       LEFT JOIN unpaid u ON u.facility_id = f.id
       WHERE f.status <> 'closed'
     )
     SELECT facility_id, loan_type_id, written_off, overdue_installments, overdue_days, overdue_amount,
       unpaid_amount, penalty, overdue_amount + penalty AS collectible_amount,
       CASE
         WHEN written_off THEN NULL
         WHEN overdue_days > doubtful_after THEN 'doubtful'
         WHEN overdue_days > deferred_after THEN 'deferred'
         WHEN overdue_days > past_due_after THEN 'past_due'
         ELSE 'current'
       END AS cbi_class
     FROM figures`,
    [date],
  );
  await c.query('ALTER TABLE run_figures ADD PRIMARY KEY (facility_id)');
  await c.query('ANALYZE run_figures');
  return rowCount ?? 0;
}

const FIGURE_COLUMNS = [
  'overdue_installments',
  'overdue_days',
  'overdue_amount',
  'unpaid_amount',
  'penalty',
  'collectible_amount',
  'cbi_class',
] as const;

/** Writes the figures that changed (and the facilities seen for the first time). */
export async function saveFigures(c: Client, date: string): Promise<number> {
  const assign = FIGURE_COLUMNS.map((col) => `${col} = r.${col}`).join(', ');
  const stored = FIGURE_COLUMNS.map((col) => `ff.${col}`).join(', ');
  const computed = FIGURE_COLUMNS.map((col) => `r.${col}`).join(', ');
  const updated = await c.query(
    `UPDATE facility_figures ff SET as_of = $1, ${assign}
     FROM run_figures r
     WHERE ff.facility_id = r.facility_id AND (${stored}) IS DISTINCT FROM (${computed})`,
    [date],
  );
  const inserted = await c.query(
    `INSERT INTO facility_figures (facility_id, as_of, ${FIGURE_COLUMNS.join(', ')})
     SELECT r.facility_id, $1, ${computed} FROM run_figures r
     WHERE NOT EXISTS (SELECT 1 FROM facility_figures ff WHERE ff.facility_id = r.facility_id)`,
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
     SELECT ff.facility_id, $1, $2, ff.ledger_class, ff.cbi_class, ff.overdue_days
     FROM facility_figures ff JOIN run_figures r ON r.facility_id = ff.facility_id
     WHERE ff.cbi_class IS NOT NULL AND ff.ledger_class IS DISTINCT FROM ff.cbi_class
       AND (ff.ledger_class IS NOT NULL OR ff.cbi_class <> 'current')`,
    [date, runId],
  );
  await c.query(
    `UPDATE facility_figures ff SET ledger_class = ff.cbi_class
     FROM run_figures r
     WHERE r.facility_id = ff.facility_id AND ff.cbi_class IS NOT NULL AND ff.ledger_class IS DISTINCT FROM ff.cbi_class`,
  );
  return rowCount ?? 0;
}

// ---- the books -------------------------------------------------------------------------------------

/**
 * The target of each ledger head (interchange.md, "Vouchers"): the class head holds the overdue
 * amount (or the whole unpaid amount when the loan type says so), the current head the rest of the
 * unpaid amount; a current facility's unpaid amount is all in the current head. Written-off
 * facilities are left out (no class, no voucher).
 */
async function computeTargets(c: Client): Promise<void> {
  await c.query(
    `CREATE TEMP TABLE run_targets ON COMMIT DROP AS
     SELECT r.facility_id, t.head, t.class, t.amount
     FROM run_figures r
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
     WHERE NOT r.written_off AND t.head IS NOT NULL AND t.amount <> 0`,
  );
  await c.query('ANALYZE run_targets');
}

/**
 * A facility's first run sets its books to the targets (the opening balance), without a voucher
 * unless `openingVouchers`: the balances were booked by the core banking system before Vosul.
 */
async function openNewFacilities(c: Client, runId: string, date: string, openingVouchers: boolean) {
  await c.query(
    `CREATE TEMP TABLE run_new ON COMMIT DROP AS
     SELECT DISTINCT t.facility_id FROM run_targets t
     WHERE NOT EXISTS (SELECT 1 FROM ledger_balances lb WHERE lb.facility_id = t.facility_id)`,
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
     SELECT lb.facility_id, sum(lb.amount)::bigint AS booked
     FROM ledger_balances lb JOIN run_figures r ON r.facility_id = lb.facility_id
     WHERE NOT r.written_off AND NOT EXISTS (SELECT 1 FROM run_new n WHERE n.facility_id = lb.facility_id)
     GROUP BY lb.facility_id`,
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
     JOIN run_figures r ON r.facility_id = m.facility_id
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
async function issueTransfers(c: Client, runId: string, date: string): Promise<number> {
  await c.query(
    `CREATE TEMP TABLE run_diffs ON COMMIT DROP AS
     SELECT coalesce(t.facility_id, lb.facility_id) AS facility_id, coalesce(t.head, lb.head) AS head,
       coalesce(t.class, lb.class) AS class, coalesce(t.amount, 0) - coalesce(lb.amount, 0) AS diff
     FROM (SELECT t.* FROM run_targets t JOIN run_books b ON b.facility_id = t.facility_id) t
     FULL JOIN (SELECT lb.* FROM ledger_balances lb JOIN run_books b ON b.facility_id = lb.facility_id) lb
       ON lb.facility_id = t.facility_id AND lb.head = t.head
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
  const opened = await openNewFacilities(c, runId, date, options.openingVouchers);
  await mirrorCorePostings(c, options.posting);
  return opened + (await issueTransfers(c, runId, date));
}
