import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { smsParts } from '@vosul/common/workflows';
import { createTestDatabase } from '../../../../test/harness.js';
import { startFakeSmsc, type FakeSmsc } from '../../../peers/smpp.js';
import { ProviderDownError, type OutgoingMessage, type StatusReport } from './adapter.js';
import { checkSmppAccount, SmppLink, smppSmsAdapter, type SmppAccount } from './smpp.js';
import { isOptOutReply, parseReceipt, ucs2Parts } from './smpp-pdu.js';

const SYSTEM_ID = 'vosul_bank';
const PASSWORD = 'S3cr3t!';
const LINE = '30001234';
// the last two digits of a number choose its fate in the local SMSC
const STATS: Record<string, string | null> = {
  '11': 'UNDELIV',
  '12': 'EXPIRED',
  '13': 'REJECTD',
  '19': null,
};
const smsc: FakeSmsc = await startFakeSmsc({
  systemId: SYSTEM_ID,
  password: PASSWORD,
  finalStat: (destination) => (destination.slice(-2) in STATS ? STATS[destination.slice(-2)]! : 'DELIVRD'),
  // invalid destination for numbers ending 77, throttled for 88
  submitStatus: (destination) => (destination.endsWith('77') ? 0x0b : destination.endsWith('88') ? 0x58 : 0),
  receiptMs: 20,
});
const { url } = await createTestDatabase();
const pool = new pg.Pool({ connectionString: url, max: 3 });
afterAll(async () => {
  await pool.end();
  await smsc.close();
});

const account = (over: Partial<SmppAccount> = {}): SmppAccount => ({
  host: smsc.host,
  port: smsc.port,
  systemId: SYSTEM_ID,
  password: PASSWORD,
  systemType: '',
  line: LINE,
  perSecond: 1000,
  ...over,
});

let link: SmppLink;
beforeEach(() => {
  link = new SmppLink(account(), 'smpp', pool);
});
afterEach(() => link.close());

let nextId = 1;
const message = (address: string, text = 'بدهی معوق شما ۱۲۰٬۰۰۰ ریال است'): OutgoingMessage => ({
  localId: `${nextId++}-1`,
  channel: 'sms',
  address,
  text,
});

/** the adapter's reports, polled until none is pending (receipts come a moment after the submit) */
async function finalReports(ids: string[]): Promise<StatusReport[]> {
  const adapter = smppSmsAdapter(link);
  for (let i = 0; i < 100; i++) {
    const reports = await adapter.status(ids);
    if (reports.every((r) => r.status !== 'pending')) return reports;
    await new Promise((r) => setTimeout(r, 20));
  }
  return adapter.status(ids);
}

const q = async <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
  (await pool.query(text, params)).rows as T[];

describe('SMPP v3.4: the bytes of a message (issue 6 point 2)', () => {
  it('splits a long Persian text into parts of 67 UCS-2 characters behind a concatenation header', () => {
    const short = 'ا'.repeat(70);
    expect(ucs2Parts(short, 7)).toEqual([
      { esm_class: 0, short_message: Buffer.from(short, 'utf16le').swap16() },
    ]);
    const long = 'ب'.repeat(140);
    const parts = ucs2Parts(long, 7)!;
    // the same count the template page shows (Persian: 67 characters per part when longer than 70)
    expect(parts).toHaveLength(smsParts(long).parts);
    expect(parts).toHaveLength(3);
    expect(parts.map((p) => [...p.short_message.subarray(0, 6)])).toEqual([
      [5, 0, 3, 7, 3, 1],
      [5, 0, 3, 7, 3, 2],
      [5, 0, 3, 7, 3, 3],
    ]);
    expect(parts.map((p) => (p.short_message.length - 6) / 2)).toEqual([67, 67, 6]);
    expect(parts.every((p) => p.esm_class === 0x40)).toBe(true);
    // a character outside the BMP (two UTF-16 units) is never cut between two parts
    const withPair = 'پ'.repeat(66) + '😀' + 'ت'.repeat(10);
    const split = ucs2Parts(withPair, 1)!;
    expect(split.map((p) => (p.short_message.length - 6) / 2)).toEqual([66, 12]);
  });

  it('reads a receipt from its TLVs, else from its Appendix B text', () => {
    expect(parseReceipt({ receipted_message_id: '77', message_state: 2, text: '' })).toEqual({
      messageId: '77',
      stat: 'DELIVRD',
      status: 'delivered',
    });
    const text =
      'id:1A2B sub:001 dlvrd:000 submit date:2511261000 done date:2511261001 stat:UNDELIV err:001 text:';
    expect(parseReceipt({ text })).toEqual({ messageId: '1A2B', stat: 'UNDELIV', status: 'failed' });
    expect(parseReceipt({ text: 'id:9 stat:EXPIRED' })?.status).toBe('expired');
    expect(parseReceipt({ text: 'id:9 stat:ENROUTE' })?.status).toBe('pending');
    expect(parseReceipt({ text: 'hello' })).toBeNull();
  });

  it('knows the regulator’s opt-out reply in any digits, and nothing else', () => {
    for (const reply of ['۱۱', '11', '١١', ' لغو۱۱ ', 'لغو 11', 'لغو‌۱۱'])
      expect(isOptOutReply(reply)).toBe(true);
    for (const reply of ['۱', '111', 'لغو', 'قسط ۱۱ را پرداختم', ''])
      expect(isOptOutReply(reply)).toBe(false);
  });
});

describe('SMPP v3.4: sending through an SMSC (issue 6 point 2)', () => {
  it('binds as transceiver, submits UCS-2; the SMSC shows each text whole, and the receipts report each outcome', async () => {
    const adapter = smppSmsAdapter(link);
    const long =
      'جناب آقای علی احمدی، قسط تسهیلات شماره ۸۸۰۰۱۲۳۴۵۶ شما به مبلغ ۱۲٬۵۰۰٬۰۰۰ ریال از تاریخ ۱۴۰۵/۰۸/۰۱ معوق است. لطفاً برای پرداخت به شعبه مراجعه فرمایید.';
    const messages = [
      message('09121000010', long),
      message('09121000011'),
      message('09121000012'),
      message('09121000013'),
    ];
    const taken = smsc.messages.length;
    const results = await adapter.send(messages);
    expect(results.map((r) => r.outcome)).toEqual(['accepted', 'accepted', 'accepted', 'accepted']);
    // a long message is whole once its last part came
    const whole = smsc.messages.slice(taken).sort((a, b) => a.destination.localeCompare(b.destination));
    expect(whole.map((m) => [m.destination, m.source, m.text, m.parts])).toEqual([
      ['989121000010', LINE, long, smsParts(long).parts],
      ['989121000011', LINE, messages[1]!.text, 1],
      ['989121000012', LINE, messages[2]!.text, 1],
      ['989121000013', LINE, messages[3]!.text, 1],
    ]);
    expect(smsc.submits.slice(-4).every((s) => s.dataCoding === 8)).toBe(true);
    // our reference of a message is its parts' message ids
    const ids = results.map((r) => (r.outcome === 'accepted' ? r.providerId : ''));
    expect(ids[0]).toBe(whole[0]!.messageIds.join(','));
    const reports = await finalReports(ids);
    expect(reports.map((r) => r.status)).toEqual(['delivered', 'failed', 'expired', 'failed']);
    // each receipt is acknowledged once kept (the answer follows the write)
    await expect.poll(() => smsc.unacknowledgedReceipts()).toBe(0);
    expect(smsc.counts.binds).toBeGreaterThanOrEqual(1);
  });

  it('a message the SMSC sends no receipt for stays pending; a sender line of its own is used', async () => {
    const adapter = smppSmsAdapter(link);
    const [result] = await adapter.send([{ ...message('09121000019'), sender: '2000567' }]);
    expect(smsc.messages.at(-1)?.source).toBe('2000567');
    await new Promise((r) => setTimeout(r, 100));
    const [report] = await adapter.status([result!.outcome === 'accepted' ? result!.providerId : '']);
    expect(report!.status).toBe('pending');
  });

  it('an invalid number fails that message alone; a throttled one is tried later', async () => {
    const adapter = smppSmsAdapter(link);
    const results = await adapter.send([
      message('09121000077'),
      message('09121000088'),
      message('09121000020'),
    ]);
    expect(results.map((r) => r.outcome)).toEqual(['rejected', 'retry', 'accepted']);
    expect(results[0]).toMatchObject({ error: 'شماره گیرنده نامعتبر است' });
    expect(results[1]).toMatchObject({ error: expect.stringContaining('throttling') as string });
  });

  it('a refused bind needs an administrator; an SMSC that does not answer is down for a while', async () => {
    const wrong = new SmppLink(account({ password: 'wrong' }), 'smpp', pool);
    const refused = await smppSmsAdapter(wrong)
      .send([message('09121000030')])
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ProviderDownError);
    expect(refused).toMatchObject({
      options: { needsAdmin: true },
      message: expect.stringContaining('گذرواژه') as string,
    });
    await wrong.close();

    await smsc.down();
    try {
      const gone = new SmppLink(account(), 'smpp', pool);
      const down = await smppSmsAdapter(gone)
        .send([message('09121000031')])
        .catch((e: unknown) => e);
      expect(down).toBeInstanceOf(ProviderDownError);
      expect((down as ProviderDownError).options.needsAdmin).toBeFalsy();
      await gone.close();
    } finally {
      await smsc.up();
    }
  });

  it('the connection cut in the middle of a window: what the SMSC answered is sent, the rest again after the bind is made anew — none lost, none twice', async () => {
    const windowed = new SmppLink(account({ window: 5 }), 'smpp', pool);
    const adapter = smppSmsAdapter(windowed);
    const batch = Array.from({ length: 30 }, (_, i) =>
      message(`0912200${String(i).padStart(4, '0')}`, `پیام ${i}`),
    );
    const before = smsc.messages.length;
    const binds = smsc.counts.binds;
    smsc.dropAfter(12);
    const first = await adapter.send(batch);
    const accepted = first.filter((r) => r.outcome === 'accepted');
    expect(accepted).toHaveLength(12);
    expect(first.filter((r) => r.outcome === 'retry')).toHaveLength(18);
    // the pipeline sends the others again later; the link binds again by itself
    const again = batch.filter((m) => first.find((r) => r.localId === m.localId)?.outcome === 'retry');
    const second = await adapter.send(again);
    expect(second.every((r) => r.outcome === 'accepted')).toBe(true);
    const texts = smsc.messages.slice(before).map((m) => m.text);
    expect(texts.sort()).toEqual(batch.map((m) => m.text).sort());
    expect(smsc.counts.binds).toBe(binds + 2);
    await windowed.close();
  });

  it('a long message cut after its first part goes again with its missing parts only, under the same reference: the phone shows it once', async () => {
    const text = 'بدهی معوق شما '.repeat(14); // 196 characters: three parts
    const long = message('09122400001', text);
    const adapter = smppSmsAdapter(link);
    const submits = smsc.submits.length;
    const messages = smsc.messages.length;
    smsc.dropAfter(1);
    const [first] = await adapter.send([long]);
    expect(first).toMatchObject({ outcome: 'retry' });
    const [second] = await adapter.send([long]);
    const taken = smsc.submits.slice(submits);
    // each part taken once, all three under one reference
    expect(taken.map((s) => s.udh?.seq)).toEqual([1, 2, 3]);
    expect(new Set(taken.map((s) => s.udh?.reference)).size).toBe(1);
    expect(smsc.messages.slice(messages)).toEqual([expect.objectContaining({ text, parts: 3 })]);
    expect(second).toEqual({
      localId: long.localId,
      outcome: 'accepted',
      providerId: taken.map((s) => s.messageId).join(','),
    });
    expect(await q('SELECT count(*)::int AS n FROM smpp_partial_messages')).toEqual([{ n: 0 }]);
  });

  it('a cut long message sent again from another line goes whole, under a new reference', async () => {
    const text = 'اقساط معوق شما '.repeat(13); // 195 characters: three parts
    const long = message('09122400002', text);
    const adapter = smppSmsAdapter(link);
    const submits = smsc.submits.length;
    smsc.dropAfter(1);
    expect((await adapter.send([long]))[0]).toMatchObject({ outcome: 'retry' });
    // meanwhile the number was found to block advertising lines: it goes from the service line
    const [again] = await adapter.send([{ ...long, sender: '98765' }]);
    expect(again).toMatchObject({ outcome: 'accepted' });
    const taken = smsc.submits.slice(submits);
    expect(taken.map((s) => [s.source, s.udh?.seq])).toEqual([
      ['30001234', 1],
      ['98765', 1],
      ['98765', 2],
      ['98765', 3],
    ]);
    expect(taken[1]!.udh?.reference).not.toBe(taken[0]!.udh?.reference);
    expect(await q('SELECT count(*)::int AS n FROM smpp_partial_messages')).toEqual([{ n: 0 }]);
  });

  it('holds at most `window` submits unanswered at once, and keeps that many in flight', async () => {
    const windowed = new SmppLink(account({ window: 5 }), 'smpp', pool);
    smsc.setAnswerDelay(15);
    try {
      smsc.inFlight.max = 0;
      const batch = Array.from({ length: 40 }, (_, i) =>
        message(`0912300${String(i).padStart(4, '0')}`, `پیام ${i}`),
      );
      const results = await smppSmsAdapter(windowed).send(batch);
      expect(results.every((r) => r.outcome === 'accepted')).toBe(true);
      // never more than the window, and the window is used: five wait on the SMSC at a time
      expect(smsc.inFlight.max).toBe(5);
    } finally {
      smsc.setAnswerDelay(0);
      await windowed.close();
    }
  });

  it('a dropped bind is made again with a backoff that doubles, and bound again when the SMSC takes it', async () => {
    const kept = new SmppLink(account(), 'smpp', pool);
    try {
      await kept.ready();
      smsc.hangUpConnections(true);
      const from = smsc.connectionTimes.length;
      const cutAt = Date.now();
      smsc.cutConnections();
      // four tries, 250, 500, 1,000 and 2,000 ms apart: a timer is late, never early, so each gap is at
      // least its step whatever the machine's load — none hammers the SMSC
      await vi.waitFor(() => expect(smsc.connectionTimes.length - from).toBeGreaterThanOrEqual(4), {
        timeout: 15_000,
        interval: 50,
      });
      const times = smsc.connectionTimes.slice(from, from + 4);
      const gaps = times.map((t, i) => t - (i === 0 ? cutAt : times[i - 1]!));
      gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(250 * 2 ** i - 5));
      const binds = smsc.counts.binds;
      smsc.hangUpConnections(false);
      // bound again by itself at its next try, receipts and replies can come again
      await vi.waitFor(() => expect(smsc.counts.binds).toBe(binds + 1), { timeout: 20_000, interval: 50 });
    } finally {
      smsc.hangUpConnections(false);
      await kept.close();
    }
  });

  it('keeps the bind alive with enquire_link and answers the SMSC’s own', async () => {
    const alive = new SmppLink(account({ enquireLinkMs: 30 }), 'smpp', pool);
    await alive.ready();
    const count = smsc.counts.enquireLinks;
    await new Promise((r) => setTimeout(r, 200));
    expect(smsc.counts.enquireLinks - count).toBeGreaterThanOrEqual(3);
    await alive.close();
  });

  it('a reply of «۱۱» opts that mobile out of the line; any other reply is only kept', async () => {
    await link.ready();
    expect(await smsc.sendFromPhone('989123334455', LINE, '۱۱')).toBe(0);
    expect(await smsc.sendFromPhone('989123334466', LINE, 'قسطم را فردا پرداخت می‌کنم')).toBe(0);
    expect(await smsc.sendFromPhone('989123334455', LINE, 'لغو۱۱')).toBe(0);
    expect(await q(`SELECT source, line, text, opt_out FROM inbound_sms ORDER BY id`)).toEqual([
      { source: '09123334455', line: LINE, text: '۱۱', opt_out: true },
      { source: '09123334466', line: LINE, text: 'قسطم را فردا پرداخت می‌کنم', opt_out: false },
      { source: '09123334455', line: LINE, text: 'لغو۱۱', opt_out: true },
    ]);
    // one opt-out per mobile and line, from its first reply
    expect(await q(`SELECT mobile, line FROM sms_opt_outs`)).toEqual([{ mobile: '09123334455', line: LINE }]);
  });

  it('“test connection” binds and says what the SMSC answered', async () => {
    expect(await checkSmppAccount(account())).toMatchObject({
      ok: true,
      message: expect.stringContaining(SYSTEM_ID) as string,
    });
    expect(await checkSmppAccount(account({ systemId: 'nobody' }))).toMatchObject({
      ok: false,
      message: expect.stringContaining('شناسه سامانه') as string,
    });
  });
});
