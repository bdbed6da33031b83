import type { Database } from '../../platform/db/database.js';
import type { JobLogger, JobQueue } from '../../platform/jobs/index.js';
import type { SecretBox } from '../../platform/secrets.js';
import { readSetting } from '../../platform/settings.js';
import { readChannelAccounts } from '../settings/settings.service.js';
import { smtpAccountOf } from '../notifications/channels/index.js';
import { ProviderDownError } from '../notifications/channels/adapter.js';
import { smtpMailer } from '../notifications/channels/smtp.js';
import { renderManagerMail } from './manager-mail.template.js';
import * as repo from './province-managers.repository.js';

/** The daily activity mail to the province managers (V7), on the job queue at the time in the settings. */
export const MANAGER_MAIL_JOB = 'province-manager-mail';

export interface ManagerMailDeps {
  db: Database;
  secrets: SecretBox;
  timezone: string;
  log: JobLogger;
}

export interface ManagerMailTotals {
  /** managers whose mail of the day was sent by this run */
  sent: number;
  /** already sent by an earlier run (never sent twice) */
  already_sent: number;
  /** not sent: no e-mail account is configured (recorded, tried again by a later run) */
  no_smtp: number;
  /** refused or not reached (recorded with the reason, tried again by a later run) */
  failed: number;
}

/**
 * Mails each manager whose daily mail is on the activity of their province on `businessDate`: the
 * figures of every such province in one pass, then one mail per manager, each recorded in the
 * transaction that holds its row, so a re-run (or a second worker) never mails a manager twice for
 * the day. Without an e-mail account nothing is sent and each manager's row says so; a mail server
 * out of reach fails the rest of the day's mails with its reason instead of trying each.
 */
export async function sendManagerMails(
  deps: ManagerMailDeps,
  businessDate: string,
): Promise<ManagerMailTotals> {
  const { db, log } = deps;
  const totals: ManagerMailTotals = { sent: 0, already_sent: 0, no_smtp: 0, failed: 0 };
  const recipients = await repo.findMailRecipients(db, businessDate);
  if (recipients.length === 0) return totals;
  const figures = new Map(
    (
      await repo.findDayFigures(
        db,
        businessDate,
        recipients.map((r) => r.province_id),
      )
    ).map((f) => [f.province_id, f]),
  );
  const { email } = await readChannelAccounts(db, deps.secrets);
  const mailer = email.host && email.from ? smtpMailer(smtpAccountOf(email)) : null;
  // the reason the mail server could not be reached or refused our login, once it did
  const down: { reason: string | null } = { reason: null };
  try {
    for (const recipient of recipients) {
      const dayFigures = figures.get(recipient.province_id)!;
      const key = { province_id: recipient.province_id, business_date: businessDate };
      await db.transaction().execute(async (trx) => {
        const claimed = await repo.claimMail(trx, { ...key, email: recipient.email, figures: dayFigures });
        if (!claimed) {
          totals.already_sent += 1;
          return;
        }
        if (!mailer) {
          totals.no_smtp += 1;
          await repo.recordMailOutcome(trx, key, { status: 'no_smtp', message_id: null, error: null });
          return;
        }
        if (down.reason) {
          totals.failed += 1;
          await repo.recordMailOutcome(trx, key, { status: 'failed', message_id: null, error: down.reason });
          return;
        }
        const mail = renderManagerMail(recipient, businessDate, dayFigures);
        try {
          const result = await mailer.send({
            to: recipient.email,
            ...mail,
            messageKey: `province-report-${recipient.province_id}-${businessDate}`,
          });
          if (result.outcome === 'accepted') totals.sent += 1;
          else totals.failed += 1;
          await repo.recordMailOutcome(
            trx,
            key,
            result.outcome === 'accepted'
              ? { status: 'sent', message_id: result.messageId, error: null }
              : { status: 'failed', message_id: null, error: result.error },
          );
        } catch (err) {
          if (!(err instanceof ProviderDownError)) throw err;
          down.reason = err.message;
          totals.failed += 1;
          await repo.recordMailOutcome(trx, key, { status: 'failed', message_id: null, error: err.message });
        }
      });
    }
  } finally {
    mailer?.close();
  }
  // one line for the day, not one error per manager
  if (totals.no_smtp > 0)
    log.error(
      `province managers' mail of ${businessDate}: no e-mail account is set, ${totals.no_smtp} not sent`,
    );
  if (down.reason) log.error(`province managers' mail of ${businessDate}: ${down.reason}`);
  log.info(
    `province managers' mail of ${businessDate}: ${totals.sent} sent, ${totals.already_sent} already sent, ` +
      `${totals.no_smtp} without an e-mail account, ${totals.failed} failed`,
  );
  return totals;
}

/** Moves the daily mail to the time in the settings. */
export async function scheduleManagerMail(db: Database, queue: JobQueue, timezone: string): Promise<void> {
  await queue.scheduleDaily(MANAGER_MAIL_JOB, await readSetting(db, 'manager_mail_time'), timezone);
}
