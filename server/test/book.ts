import type pg from 'pg';
import { addIsoDays } from '@vosul/common';

/** A small book straight into the tables, for the tests of the daily run and what reads its figures. */

export interface InstallmentSpec {
  due: string;
  amount: number;
  paid?: number;
}

export interface FacilitySpec {
  no: string;
  loanType?: 'L1' | 'L2' | 'L3';
  rate?: string | null;
  status?: 'active' | 'written_off' | 'settled';
  /** the branch code (B1 unless given; B2 is a second branch of the same province) */
  branch?: 'B1' | 'B2';
  installments: InstallmentSpec[];
}

/** Days after (or before) an ISO date. */
export const plus = addIsoDays;

/**
 * Replaces the book: a snapshot as of `asOf`, branches B1 and B2 of province P1, loan types L1 with
 * the defaults (contract rate + 6, 365 days, the directive's thresholds), L2 a Qard al-Hasan fund's own
 * rate 12 on 360 days with its own heads, L3 whose class head holds the whole unpaid amount; customer C1.
 */
export async function createBook(pool: pg.Pool, facilities: FacilitySpec[], asOf: string): Promise<void> {
  await pool.query(`TRUNCATE voucher_lines, vouchers, ledger_balances, facility_class_changes, facility_figures_stored, figures_clock,
    day_runs, payments, installments, guarantors, facilities, customers, loan_types, snapshot_imports
    RESTART IDENTITY CASCADE`);
  await pool.query("DELETE FROM settings WHERE key = 'payment_posting'");
  await pool.query(`INSERT INTO snapshot_imports (as_of, status) VALUES ($1, 'succeeded')`, [asOf]);
  await pool.query(`INSERT INTO provinces (code, name) VALUES ('BOOK-P1', 'تهران') ON CONFLICT DO NOTHING`);
  for (const code of ['B1', 'B2'])
    await pool.query(
      `INSERT INTO branches (code, name, province_id)
       SELECT $1, 'شعبه ' || $1, id FROM provinces WHERE code = 'BOOK-P1' ON CONFLICT DO NOTHING`,
      [code],
    );
  await pool.query(`INSERT INTO loan_types (code, title) VALUES ('L1', 'مشارکت مدنی')`);
  await pool.query(`INSERT INTO loan_types (code, title, penalty_rate, day_basis, head_current, head_past_due,
      head_deferred, head_doubtful) VALUES ('L2', 'قرض‌الحسنه', 12, 360, '1401', '1402', '1403', '1404')`);
  await pool.query(
    `INSERT INTO loan_types (code, title, class_holds) VALUES ('L3', 'فروش اقساطی', 'unpaid')`,
  );
  await pool.query(`INSERT INTO customers (customer_no, first_name, last_name, branch_id)
    SELECT 'C1', 'علی', 'احمدی', id FROM branches WHERE code = 'B1'`);
  for (const f of facilities) await addFacility(pool, f);
}

export async function addFacility(pool: pg.Pool, f: FacilitySpec): Promise<void> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO facilities (facility_no, customer_id, branch_id, loan_type_id, granted_on, principal, annual_rate, status)
     VALUES ($1, (SELECT id FROM customers WHERE customer_no = 'C1'), (SELECT id FROM branches WHERE code = $5),
             (SELECT id FROM loan_types WHERE code = $2), '2024-01-01', 1000000, $3, $4) RETURNING id`,
    [f.no, f.loanType ?? 'L1', f.rate === undefined ? '18' : f.rate, f.status ?? 'active', f.branch ?? 'B1'],
  );
  const id = rows[0]!.id;
  for (const [i, inst] of f.installments.entries())
    await pool.query(
      'INSERT INTO installments (facility_id, seq, due_on, amount, paid_amount) VALUES ($1, $2, $3, $4, $5)',
      [id, i + 1, inst.due, inst.amount, inst.paid ?? 0],
    );
}

/**
 * What an import does for a schedule it rewrote: marks the facility's figures stale (migration 0020),
 * so the next run sums its unpaid amount afresh. For installments changed straight in the table.
 */
export async function markScheduleChanged(pool: pg.Pool, facilityNo?: string): Promise<void> {
  await pool.query(
    `INSERT INTO figures_stale SELECT id FROM facilities WHERE $1::text IS NULL OR facility_no = $1
     ON CONFLICT DO NOTHING`,
    [facilityNo ?? null],
  );
}

export interface WorkflowSpec {
  loanType?: 'L1' | 'L2';
  /** the range, days 1–90 unless given (`to` null: no end) */
  from?: number;
  to?: number | null;
  repeat?: number;
  min?: number;
  channels?: string[];
  recipients?: string[];
  perDay?: number;
  start?: string;
  interval?: number;
  /** reminder, overdue_notice or legal_warning; by default as a new workflow's (from < 0: reminder) */
  kind?: string;
  /** the text of every channel × role, unless `templates` has one for `channel:role` */
  text?: string;
  templates?: Partial<Record<string, string>>;
}

const WORKFLOW_TEXT =
  '{{gender_title}} {{borrower_last_name}}، تسهیلات {{facility_no}} {{overdue_days}} روز معوق است';

/** An active workflow of loan type L1 (unless given) for all branches, with a template for each channel × role. */
export async function defineWorkflow(pool: pg.Pool, w: WorkflowSpec = {}): Promise<number> {
  const channels = w.channels ?? ['sms'];
  const recipients = w.recipients ?? ['borrower'];
  const from = w.from ?? 1;
  const to = w.to === undefined ? 90 : w.to;
  const { rows } = await pool.query<{ id: number }>(
    `INSERT INTO workflows (title, from_day, to_day, min_overdue_amount, channels, recipients, per_day,
       start_time, interval_minutes, repeat_every_days, message_kind)
     VALUES ($10, $1, $2, $3, $4, $5, $6, $7, $8, $9, $11) RETURNING id`,
    [
      from,
      to,
      w.min ?? 0,
      channels,
      recipients,
      w.perDay ?? 1,
      w.start ?? '09:00',
      w.interval ?? 0,
      w.repeat ?? 0,
      `گردش ${w.loanType ?? 'L1'} ${from} تا ${to ?? '∞'}`,
      w.kind ?? (from < 0 ? 'reminder' : 'overdue_notice'),
    ],
  );
  const id = rows[0]!.id;
  await pool.query(`INSERT INTO workflow_loan_types SELECT $1, id FROM loan_types WHERE code = $2`, [
    id,
    w.loanType ?? 'L1',
  ]);
  for (const channel of channels)
    for (const role of recipients.map((r) => (r === 'borrower' ? 'borrower' : 'guarantor')))
      await pool.query('INSERT INTO workflow_templates VALUES ($1, $2, $3, $4)', [
        id,
        channel,
        role,
        w.templates?.[`${channel}:${role}`] ?? w.text ?? WORKFLOW_TEXT,
      ]);
  return id;
}
