import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import {
  ProviderDownError,
  type ChannelAdapter,
  type OutgoingMessage,
  type SendResult,
  type StatusReport,
} from './adapter.js';

/**
 * E-mail through the bank's SMTP server (issue 6 point 5), by nodemailer over a small pool of
 * connections. SMTP has no delivery report: a message the server accepted is reported delivered
 * (to the bank's mail system), one it refused for its recipient (5xx) failed, a temporary refusal
 * (4xx) is tried again with backoff. A server that cannot be reached pauses the channel; one that
 * refuses our login needs an administrator. SMTP has no de-duplication either: each message carries a
 * Message-ID made of its outbox id, so a message sent again after a crash shows as the same message
 * in the recipient's mail program.
 */

export interface SmtpAccount {
  host: string;
  port: number;
  security: 'none' | 'starttls' | 'tls';
  username: string;
  password: string | null;
  from: string;
  /** connection and greeting limits, ms */
  timeoutMs?: number;
}

/** The subject of every notification e-mail (the workflow's template is the body). */
export const EMAIL_SUBJECT = 'اطلاع‌رسانی پیگیری مطالبات بانک';

type SmtpTransporter = Transporter<SMTPTransport.SentMessageInfo>;

function transportOf(account: SmtpAccount, pool: boolean): SmtpTransporter {
  const timeout = account.timeoutMs ?? 15_000;
  const options: SMTPTransport.Options = {
    host: account.host,
    port: account.port,
    secure: account.security === 'tls',
    requireTLS: account.security === 'starttls',
    ignoreTLS: account.security === 'none',
    auth: account.username ? { user: account.username, pass: account.password ?? '' } : undefined,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout * 2,
  };
  // a pool within a batch; its answers are of the same shape as a single connection's
  return pool
    ? nodemailer.createTransport({ ...options, pool: true, maxConnections: 2 })
    : nodemailer.createTransport(options);
}

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
}

/** Our reading of a failed send: the whole server, this recipient, or later. */
function classify(err: SmtpError): 'down' | 'admin' | 'reject' | 'retry' {
  if (err.code === 'EAUTH' || err.code === 'ENOAUTH') return 'admin';
  if (err.code === 'ECONNECTION' || err.code === 'ETIMEDOUT' || err.code === 'ESOCKET' || err.code === 'EDNS')
    return 'down';
  // the server's own answer: 5xx for good (no such mailbox), 4xx for now (try later)
  if (err.responseCode !== undefined) return err.responseCode >= 500 ? 'reject' : 'retry';
  if (err.code === 'EENVELOPE') return 'reject'; // no valid recipient address
  return 'retry';
}

const reasonOf = (err: SmtpError) => err.response ?? err.message;

export function smtpAdapter(account: SmtpAccount): ChannelAdapter {
  const domain = account.from.split('@')[1] ?? 'vosul.local';

  async function sendOne(transport: SmtpTransporter, m: OutgoingMessage): Promise<SendResult> {
    try {
      const info = await transport.sendMail({
        from: account.from,
        to: m.address,
        subject: EMAIL_SUBJECT,
        text: m.text,
        messageId: `<notification-${m.localId}@${domain}>`,
      });
      if ((info.rejected ?? []).length > 0)
        return {
          localId: m.localId,
          outcome: 'rejected',
          error: `سرور پست الکترونیک گیرنده را نپذیرفت: ${info.response}`,
        };
      return { localId: m.localId, outcome: 'accepted', providerId: info.messageId };
    } catch (err) {
      const e = err as SmtpError;
      const kind = classify(e);
      if (kind === 'admin')
        throw new ProviderDownError(
          'smtp',
          `سرور پست الکترونیک نام کاربری یا گذرواژه را نپذیرفت (${reasonOf(e)})`,
          {
            needsAdmin: true,
          },
        );
      if (kind === 'down')
        throw new ProviderDownError('smtp', `سرور پست الکترونیک در دسترس نیست (${reasonOf(e)})`);
      return kind === 'reject'
        ? {
            localId: m.localId,
            outcome: 'rejected',
            error: `سرور پست الکترونیک گیرنده را نپذیرفت: ${reasonOf(e)}`,
          }
        : { localId: m.localId, outcome: 'retry', error: `سرور پست الکترونیک موقتاً نپذیرفت: ${reasonOf(e)}` };
    }
  }

  return {
    provider: 'smtp',
    maxBatch: 50,
    perSecond: 50,
    async send(messages) {
      // a batch's connections, closed after it: the dispatcher builds its adapters afresh each pass
      const transport = transportOf(account, true);
      try {
        const results: SendResult[] = [];
        for (const m of messages) results.push(await sendOne(transport, m));
        return results;
      } finally {
        transport.close();
      }
    },
    status(providerIds) {
      const at = new Date();
      return Promise.resolve(
        providerIds.map((providerId): StatusReport => ({ providerId, status: 'delivered', at })),
      );
    },
  };
}

/** "Test connection": connect, greet and log in, and report what the server answered. */
export async function checkSmtpAccount(account: SmtpAccount): Promise<{ ok: boolean; message: string }> {
  const transport = transportOf({ ...account, timeoutMs: account.timeoutMs ?? 10_000 }, false);
  try {
    await transport.verify();
    return { ok: true, message: `سرور پست الکترونیک ${account.host} اتصال و ورود را پذیرفت` };
  } catch (err) {
    const e = err as SmtpError;
    return { ok: false, message: `سرور پست الکترونیک پاسخ داد: ${reasonOf(e)}` };
  } finally {
    transport.close();
  }
}

/** A mail of Vosul's own (not a notification of the outbox), e.g. a province manager's daily report. */
export interface SystemMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** without the angle brackets' domain: `<{messageKey}@{from's domain}>` */
  messageKey: string;
}

export type SystemMailResult =
  { outcome: 'accepted'; messageId: string } | { outcome: 'failed'; error: string };

/**
 * Sends Vosul's own mails over one pooled connection set, read the way notifications are: a recipient
 * refused (or a temporary refusal, which the caller's next run tries again) is that mail's failure;
 * a server out of reach or refusing our login throws ProviderDownError, as it would for all of them.
 */
export function smtpMailer(account: SmtpAccount) {
  const transport = transportOf(account, true);
  const domain = account.from.split('@')[1] ?? 'vosul.local';
  return {
    async send(mail: SystemMail): Promise<SystemMailResult> {
      try {
        const info = await transport.sendMail({
          from: account.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          messageId: `<${mail.messageKey}@${domain}>`,
        });
        if ((info.rejected ?? []).length > 0)
          return { outcome: 'failed', error: `سرور پست الکترونیک گیرنده را نپذیرفت: ${info.response}` };
        return { outcome: 'accepted', messageId: info.messageId };
      } catch (err) {
        const e = err as SmtpError;
        const kind = classify(e);
        if (kind === 'admin')
          throw new ProviderDownError(
            'smtp',
            `سرور پست الکترونیک نام کاربری یا گذرواژه را نپذیرفت (${reasonOf(e)})`,
            { needsAdmin: true },
          );
        if (kind === 'down')
          throw new ProviderDownError('smtp', `سرور پست الکترونیک در دسترس نیست (${reasonOf(e)})`);
        return { outcome: 'failed', error: `سرور پست الکترونیک نپذیرفت: ${reasonOf(e)}` };
      }
    },
    close(): void {
      transport.close();
    },
  };
}
