import type { Channel } from '@vosul/common/workflows';

/**
 * The one interface every channel's provider is reached through (issue 5; issue 6 plugs the real
 * providers in behind it). A message carries our own reference (`localId`, the notification's id and
 * attempt): a provider that knows it already answers with the message it accepted, so a batch sent
 * again after a crash is never delivered twice.
 */
export interface OutgoingMessage {
  localId: string;
  channel: Channel;
  address: string;
  text: string;
  /** SMS: the kind of sender line (P5) and its number ('' = the account's default line) */
  line?: SmsLine;
  sender?: string;
  /** a call: what a PBX plays besides (or instead of) speaking `text` */
  call?: CallContent;
}

/** A call's recorded message (an audio file's code) and the figures spoken after it. */
export interface CallContent {
  audio: string | null;
  /** the recording's content name (`<sha256>.<format>`), by which a PBX fetches it from Vosul */
  audioFile: string | null;
  /** the facility's overdue amount, Rials (digits) */
  amount: string | null;
  overdueDays: number | null;
}

export type SmsLine = 'advertising' | 'service';

export type SendResult =
  /** `provider`: who took it, when it is not the adapter's own name (a failover's second provider) */
  | { localId: string; outcome: 'accepted'; providerId: string; provider?: string }
  /** the provider could not take it now: tried again later with backoff */
  | { localId: string; outcome: 'retry'; error: string }
  /** never deliverable (e.g. an invalid number): the message fails */
  | { localId: string; outcome: 'rejected'; error: string };

/** The final states a provider reports; `pending` while it has none yet. */
export type ReportedStatus =
  | 'pending'
  | 'delivered'
  | 'failed'
  | 'expired'
  | 'answered'
  | 'no_answer'
  | 'busy'
  | 'rejected'
  /** an SMS not delivered because the number blocks advertising lines (Kavenegar status 14) */
  | 'blocked_ads';

export interface StatusReport {
  providerId: string;
  status: ReportedStatus;
  at: Date;
  /** why it failed, when the provider says (kept as the message's last error) */
  error?: string;
}

/** The whole provider is unavailable (down, out of credit): the channel stops, its messages wait. */
export class ProviderDownError extends Error {
  constructor(
    readonly provider: string,
    message: string,
    /** the account itself cannot send (out of credit, a wrong key): an administrator must act */
    readonly options: { needsAdmin?: boolean } = {},
  ) {
    super(message);
  }
}

export interface ChannelAdapter {
  /** the provider's name, kept on each message it sent */
  readonly provider: string;
  /** the most messages one call takes */
  readonly maxBatch: number;
  /** the provider's rate limit, messages per second */
  readonly perSecond: number;
  send(messages: readonly OutgoingMessage[]): Promise<SendResult[]>;
  /** the reports of messages sent through `provider` (the adapter's own name unless a failover's) */
  status(providerIds: readonly string[], provider?: string): Promise<StatusReport[]>;
}

/**
 * What a provider that keeps its own records in our database needs of it (the simulator): a statement
 * and its rows. A node-postgres pool is one; so is the HTTP modules' Kysely (`sqlRunnerOf`).
 */
export interface SqlRunner {
  query<R>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}
