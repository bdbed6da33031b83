import pg from 'pg';

/**
 * A bank's usual dunning ladder, put on the bench book before the daily runs so that they plan
 * notifications as a real installation's do: a reminder before the due date, SMS warnings to borrower
 * and guarantors in the first month, calls with retries up to three months, then warning notices.
 * Every loan type, every branch; the ranges do not overlap.
 */
const LADDER = [
  {
    title: 'یادآوری پیش از سررسید',
    from: -3,
    to: -1,
    channels: ['sms'],
    recipients: ['borrower'],
    perDay: 1,
    interval: 0,
    repeat: 0,
  },
  {
    title: 'هشدار ماه نخست',
    from: 1,
    to: 30,
    channels: ['sms'],
    recipients: ['borrower', 'guarantors'],
    perDay: 1,
    interval: 0,
    repeat: 7,
  },
  {
    title: 'پیگیری تلفنی',
    from: 31,
    to: 90,
    channels: ['call', 'sms'],
    recipients: ['borrower'],
    perDay: 3,
    interval: 120,
    repeat: 7,
  },
  {
    title: 'اخطاریه',
    from: 91,
    to: null,
    channels: ['warning_notice', 'sms'],
    recipients: ['borrower', 'guarantors'],
    perDay: 1,
    interval: 0,
    repeat: 30,
  },
] as const;

const TEXT =
  '{{gender_title}} {{borrower_first_name}} {{borrower_last_name}}، تسهیلات {{facility_no}} شعبه {{branch_name}} ' +
  '{{overdue_days}} روز معوق است؛ مبلغ معوق {{overdue_amount}} ریال و قابل وصول {{collectible_amount}} ریال.';
const GUARANTOR_TEXT =
  '{{gender_title}} {{guarantor_first_name}} {{guarantor_last_name}}، تسهیلاتی که ضامن آن هستید ({{facility_no}}) ' +
  '{{overdue_days}} روز معوق است؛ مبلغ معوق {{overdue_amount}} ریال.';

export async function defineBenchWorkflows(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    for (const w of LADDER) {
      const { rows } = await client.query<{ id: number }>(
        `INSERT INTO workflows (title, from_day, to_day, channels, recipients, per_day, start_time,
           interval_minutes, repeat_every_days)
         VALUES ($1, $2, $3, $4, $5, $6, '09:00', $7, $8) RETURNING id`,
        [w.title, w.from, w.to, w.channels, w.recipients, w.perDay, w.interval, w.repeat],
      );
      const id = rows[0]!.id;
      await client.query(
        `INSERT INTO workflow_loan_types (workflow_id, loan_type_id) SELECT $1, id FROM loan_types`,
        [id],
      );
      for (const channel of w.channels)
        for (const recipient of w.recipients) {
          const role = recipient === 'borrower' ? 'borrower' : 'guarantor';
          await client.query(
            `INSERT INTO workflow_templates (workflow_id, channel, recipient_role, text) VALUES ($1, $2, $3, $4)`,
            [id, channel, role, role === 'borrower' ? TEXT : GUARANTOR_TEXT],
          );
        }
    }
    await client.query('COMMIT');
    return LADDER.length;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await client.end();
  }
}
