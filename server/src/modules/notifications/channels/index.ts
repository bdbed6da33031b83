import { CompiledQuery } from 'kysely';
import type { Channel } from '@vosul/common/workflows';
import type { Executor } from '../../../platform/db/database.js';
import type { SecretBox } from '../../../platform/secrets.js';
import { readSetting } from '../../../platform/settings.js';
import { readChannelAccounts, type OpenedChannelAccounts } from '../../settings/settings.service.js';
import type { ChannelAdapter, SqlRunner } from './adapter.js';
import { kavenegarCallAdapter, kavenegarSmsAdapter } from './kavenegar.js';
import { simulatorAdapter } from './simulator.js';
import { failoverAdapter } from './failover.js';
import { smtpAdapter, type SmtpAccount } from './smtp.js';
import { closeSmppLinksExcept, smppLinkOf, smppSmsAdapter, type SmppAccount, type SmppLink } from './smpp.js';
import { asteriskAriAdapter, type AriAccount } from './asterisk-ari.js';
import { raiseProviderAlert } from '../dispatch.repository.js';

/** The channels a dispatcher sends through (letters are printed, not sent). */
export const DISPATCHED_CHANNELS = ['sms', 'call', 'email'] as const satisfies readonly Channel[];

/**
 * Kavenegar documents no rate for an account; it answers 451 when called too often, and the pipeline
 * then tries the messages again with backoff. This bounds our own pace below that.
 */
const KAVENEGAR_PER_SECOND = 5000;

/**
 * SMSCs agree a rate per bind with the bank and answer ESME_RTHROTTLED beyond it (the pipeline then
 * tries later with backoff); this bounds our own pace.
 */
const SMPP_PER_SECOND = 1000;

/**
 * Each dispatched channel's adapter, from the providers' accounts in the settings (V8): the simulator
 * until an administrator configures a real account; with a second SMS provider, the two in order
 * (failover): Kavenegar or SMPP for SMS, Kavenegar's text-to-speech or Asterisk (ARI) for calls,
 * SMTP for e-mail. An SMPP account's bind and the ARI event socket stay open between passes (receipts,
 * replies and call events come on them).
 */
export async function channelAdapters(
  db: Executor,
  pool: SqlRunner,
  secrets: SecretBox,
): Promise<Partial<Record<Channel, ChannelAdapter>>> {
  const rates = await readSetting(db, 'notification_simulator');
  const { sms, sms_backup: backup, email, ivr } = await readChannelAccounts(db, secrets);
  const adapters: Partial<Record<Channel, ChannelAdapter>> = {
    email: email.host ? smtpAdapter(smtpAccountOf(email)) : simulatorAdapter(pool, 'email', rates),
  };
  // Kavenegar's account: its key, its web service address, the line a message naming none goes from
  const kavenegar = (account: { api_url: string; secret: string | null }, line: string) => ({
    apiUrl: account.api_url,
    apiKey: account.secret ?? '',
    line,
    perSecond: KAVENEGAR_PER_SECOND,
  });
  const smppLinks: SmppLink[] = [];
  const smsAdapter = (account: typeof sms | typeof backup, name: string) => {
    if (account.provider === 'kavenegar') return kavenegarSmsAdapter(kavenegar(account, account.line), name);
    if (account.provider !== 'smpp') return undefined;
    const link = smppLinkOf(smppAccountOf(account), name, pool);
    smppLinks.push(link);
    return smppSmsAdapter(link);
  };
  const first =
    sms.provider === 'simulator' ? simulatorAdapter(pool, 'sms', rates) : smsAdapter(sms, sms.provider);
  // the second provider's name says it is the second, even when both are of one kind
  const second = smsAdapter(backup, `${backup.provider}_2`);
  if (first && second)
    adapters.sms = failoverAdapter([first, second], {
      // the first refusing its account is told to the administrators even while the second carries on
      onDown: async (err) => {
        if (err.options.needsAdmin)
          await raiseProviderAlert(pool, { provider: err.provider, channel: 'sms', reason: err.message });
      },
    });
  else if (first ?? second) adapters.sms = first ?? second;
  // an SMSC no longer in the settings is unbound
  await closeSmppLinksExcept(smppLinks);
  if (ivr.provider === 'simulator') adapters.call = simulatorAdapter(pool, 'call', rates);
  else if (ivr.provider === 'kavenegar_tts') adapters.call = kavenegarCallAdapter(kavenegar(ivr, ivr.number));
  else if (ivr.provider === 'asterisk_ari') adapters.call = asteriskAriAdapter(ariAccountOf(ivr), pool);
  return adapters;
}

/** The call account of the settings as the ARI adapter takes it (the IVR's number as caller id). */
export function ariAccountOf(ivr: OpenedChannelAccounts['ivr']): AriAccount {
  return {
    url: ivr.ari_url,
    username: ivr.username,
    password: ivr.secret ?? '',
    app: ivr.ari_app,
    endpoint: ivr.ari_endpoint,
    callerId: ivr.number,
    mediaUrl: ivr.ari_media_url,
  };
}

/** Kysely as a `SqlRunner`: the HTTP modules hold the query builder, not a pool. */
export function sqlRunnerOf(db: Executor): SqlRunner {
  return {
    query: async <R>(text: string, values: unknown[] = []) => {
      const { rows } = await db.executeQuery<R>(CompiledQuery.raw(text, values));
      return { rows };
    },
  };
}

/** An SMS account of the settings as the SMPP link takes it (the user name is the system_id). */
export function smppAccountOf(account: OpenedChannelAccounts['sms' | 'sms_backup']): SmppAccount {
  return {
    host: account.host,
    port: account.port ?? 2775,
    systemId: account.username,
    password: account.secret ?? '',
    systemType: account.system_type,
    line: account.line,
    perSecond: SMPP_PER_SECOND,
  };
}

/** The e-mail account of the settings as the SMTP adapter takes it. */
export function smtpAccountOf(email: OpenedChannelAccounts['email']): SmtpAccount {
  return {
    host: email.host,
    port: email.port ?? (email.security === 'tls' ? 465 : 587),
    security: email.security,
    username: email.username,
    password: email.secret,
    from: email.from,
  };
}
