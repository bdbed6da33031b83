import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { toPersianDigits } from '@vosul/common';
import { startFakeKavenegar, type FakeKavenegar } from '../../../peers/kavenegar.js';
import { ProviderDownError, type OutgoingMessage } from './adapter.js';
import {
  callKavenegar,
  kavenegarCallAdapter,
  kavenegarSmsAdapter,
  RETURN_CODES,
  reportedStatus,
  type KavenegarAccount,
} from './kavenegar.js';

const API_KEY = '6A4F2B3C9D0E1F7A8B5C3D2E1F0A9B8C7D6E5F4A';
// the last two digits of a number choose its final state in the local Kavenegar below
const FINAL: Record<string, number> = { '10': 10, '11': 11, '06': 6, '13': 13, '14': 14 };
const fake: FakeKavenegar = await startFakeKavenegar({
  apiKey: API_KEY,
  price: 100,
  finalStatus: (receptor) => FINAL[receptor.slice(-2)] ?? 10,
});
afterAll(() => fake.close());
afterEach(() => {
  fake.credit = Number.MAX_SAFE_INTEGER;
});

const account: KavenegarAccount = { apiUrl: fake.url, apiKey: API_KEY, line: '10004346', perSecond: 1000 };
const sms = kavenegarSmsAdapter(account);

let nextId = 1000;
const message = (address: string, text = 'بدهی معوق شما ۱۲۰٬۰۰۰ ریال است'): OutgoingMessage => ({
  localId: `${nextId++}-1`,
  channel: 'sms',
  address,
  text,
  sender: '30001234',
});
const taken = (m: OutgoingMessage) => fake.messages.filter((x) => x.localid === m.localId.split('-')[0]);

describe('Kavenegar REST: sending SMS (issue 6 point 1)', () => {
  it('sends a batch in one sendarray call: each message to its number, from its line, with its own localid', async () => {
    const batch = [
      message('09121110010'),
      message('09351110010', 'متن دوم'),
      { ...message('09191110010'), sender: '' },
    ];
    const before = fake.calls.get('sms/sendarray') ?? 0;
    const results = await sms.send(batch);
    expect(fake.calls.get('sms/sendarray')).toBe(before + 1);
    expect(results.map((r) => r.outcome)).toEqual(['accepted', 'accepted', 'accepted']);
    for (const [i, m] of batch.entries()) {
      const [sent] = taken(m);
      expect(sent).toMatchObject({ receptor: m.address, message: m.text });
      expect(results[i]).toMatchObject({ localId: m.localId, providerId: String(sent!.messageid) });
    }
    // a message naming no line goes from the account's line
    expect(taken(batch[0]!)[0]!.sender).toBe('30001234');
    expect(taken(batch[2]!)[0]!.sender).toBe('10004346');
  });

  it('one message goes by sms/send with its localid; its answer lost, it is sent again and not twice', async () => {
    const one = message('09121110020', 'تنها پیام صف');
    const sends = fake.calls.get('sms/send') ?? 0;
    const arrays = fake.calls.get('sms/sendarray') ?? 0;
    fake.dropNext(1);
    const [result] = await sms.send([one]);
    expect(fake.calls.get('sms/sendarray') ?? 0).toBe(arrays);
    expect(fake.calls.get('sms/send')).toBe(sends + 2);
    expect(taken(one)).toEqual([
      expect.objectContaining({ receptor: '09121110020', sender: one.sender, message: 'تنها پیام صف' }),
    ]);
    expect(result).toEqual({
      localId: one.localId,
      outcome: 'accepted',
      providerId: String(taken(one)[0]!.messageid),
    });
  });

  it('a call whose answer is lost after Kavenegar took it is made again, and nothing is sent twice (localid)', async () => {
    const batch = [message('09121110010'), message('09121110011')];
    const before = fake.messages.length;
    fake.dropNext(1);
    const results = await sms.send(batch);
    expect(results.every((r) => r.outcome === 'accepted')).toBe(true);
    expect(fake.messages.length - before).toBe(2);
    for (const [i, m] of batch.entries()) {
      expect(taken(m)).toHaveLength(1);
      expect(results[i]).toMatchObject({ providerId: String(taken(m)[0]!.messageid) });
    }
    // the same batch sent again (a dispatcher killed after the call) is answered, not sent again
    const again = await sms.send(batch);
    expect(again).toEqual(results);
    expect(fake.messages.length - before).toBe(2);
  });

  it.each([409, 451])(
    'return code %i (busy, too many calls): the messages are tried again later, none sent',
    async (code) => {
      const batch = [message('09121110010'), message('09121110011')];
      fake.failNext(code);
      const results = await sms.send(batch);
      expect(results.map((r) => r.outcome)).toEqual(['retry', 'retry']);
      expect(results[0]).toMatchObject({ error: expect.stringContaining(toPersianDigits(code)) as string });
      expect(batch.flatMap(taken)).toHaveLength(0);
    },
  );

  it('out of credit (418) stops the channel for an administrator; nothing is sent', async () => {
    fake.credit = 150; // one part costs 100: the batch of two costs 200
    const batch = [message('09121110010'), message('09121110011')];
    const error = await sms.send(batch).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderDownError);
    expect((error as ProviderDownError).options.needsAdmin).toBe(true);
    expect((error as ProviderDownError).message).toContain('اعتبار');
    expect(batch.flatMap(taken)).toHaveLength(0);
    fake.credit = 1000;
    expect((await sms.send(batch)).map((r) => r.outcome)).toEqual(['accepted', 'accepted']);
  });

  it('an invalid number (411) fails that message alone; the rest of its batch is sent once', async () => {
    const batch = [message('09121110010'), message('0912'), message('09121110011')];
    const results = await sms.send(batch);
    expect(results.map((r) => r.outcome)).toEqual(['accepted', 'rejected', 'accepted']);
    expect(results[1]).toMatchObject({ error: expect.stringContaining('گیرنده نامعتبر') as string });
    expect(taken(batch[0]!)).toHaveLength(1);
    expect(taken(batch[1]!)).toHaveLength(0);
    expect(taken(batch[2]!)).toHaveLength(1);
  });

  it('a text over 900 characters (413) fails that message', async () => {
    const [result] = await sms.send([message('09121110010', 'ب'.repeat(901))]);
    expect(result).toMatchObject({ outcome: 'rejected', error: expect.stringContaining('۴۱۳') as string });
  });

  it('a wrong API key (403) stops the channel for an administrator', async () => {
    const wrong = kavenegarSmsAdapter({ ...account, apiKey: 'not-the-key' });
    const error = await wrong.send([message('09121110010')]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderDownError);
    expect((error as ProviderDownError).options.needsAdmin).toBe(true);
  });

  it('a provider that does not answer is down (the channel pauses, messages wait), not in need of an administrator', async () => {
    await fake.down();
    try {
      const error = await sms.send([message('09121110010')]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderDownError);
      expect((error as ProviderDownError).options.needsAdmin).toBeFalsy();
    } finally {
      await fake.up();
    }
  });

  it('maps every documented return code to what the pipeline does', async () => {
    const batch = [message('09121110010')];
    for (const [code, { action }] of Object.entries(RETURN_CODES)) {
      if (action === 'ok') continue;
      fake.failNext(Number(code));
      const outcome = await sms.send(batch).then(
        (r) => r[0]!.outcome,
        (e: unknown) => (e instanceof ProviderDownError && e.options.needsAdmin ? 'stop' : 'thrown'),
      );
      expect({ code, outcome }).toEqual({
        code,
        outcome: { retry: 'retry', reject: 'rejected', stop: 'stop' }[action],
      });
    }
    expect(taken(batch[0]!)).toHaveLength(0);
  });
});

describe('Kavenegar REST: delivery states', () => {
  it('polls sms/status and maps the states: 10 delivered, 11 and 6 failed, 14 blocks advertising, 13 cancelled', async () => {
    const batch = ['10', '11', '06', '14', '13'].map((end) => message(`091211100${end}`));
    const results = await sms.send(batch);
    const ids = results.map((r) => (r.outcome === 'accepted' ? r.providerId : ''));
    const reports = await sms.status([...ids, '99']);
    const byId = new Map(reports.map((r) => [r.providerId, r.status]));
    expect(ids.map((id) => byId.get(id))).toEqual(['delivered', 'failed', 'failed', 'blocked_ads', 'failed']);
    // a message Kavenegar does not know (or no longer keeps, after 48 hours) answers 100
    expect(byId.get('99')).toBe('expired');
  });

  it('a message still with the operator is pending', async () => {
    const slow = await startFakeKavenegar({ apiKey: API_KEY, settleMs: 60_000 });
    try {
      const adapter = kavenegarSmsAdapter({ ...account, apiUrl: slow.url });
      const [r] = await adapter.send([message('09121110010')]);
      expect(r).toMatchObject({ outcome: 'accepted' });
      const reports = await adapter.status([r?.outcome === 'accepted' ? r.providerId : '']);
      expect(reports.map((x) => x.status)).toEqual(['pending']);
    } finally {
      await slow.close();
    }
  });

  it('maps each documented state for SMS and for spoken calls', () => {
    expect([1, 2, 4, 5, 6, 10, 11, 13, 14, 100].map((s) => reportedStatus(s, 'sms'))).toEqual([
      'pending',
      'pending',
      'pending',
      'pending',
      'failed',
      'delivered',
      'failed',
      'failed',
      'blocked_ads',
      'expired',
    ]);
    expect([1, 10, 11, 6].map((s) => reportedStatus(s, 'call'))).toEqual([
      'pending',
      'answered',
      'no_answer',
      'failed',
    ]);
  });
});

describe('Kavenegar REST: spoken calls (call/maketts)', () => {
  it('makes one call per message with its localid, and reads answered / not answered', async () => {
    const calls = kavenegarCallAdapter({ ...account, line: '' });
    expect(calls.maxBatch).toBe(1);
    const answered = {
      ...message('09121110010', 'مبلغ معوق یکصد و بیست هزار ریال'),
      channel: 'call' as const,
    };
    const missed = { ...answered, localId: `${nextId++}-1`, address: '09121110011' };
    const [a] = await calls.send([answered]);
    const [b] = await calls.send([missed]);
    expect(taken(answered)[0]).toMatchObject({
      kind: 'call',
      receptor: '09121110010',
      message: answered.text,
    });
    const ids = [a!, b!].map((r) => (r.outcome === 'accepted' ? r.providerId : ''));
    const reports = await calls.status(ids);
    expect(reports.map((r) => r.status)).toEqual(['answered', 'no_answer']);
  });
});

describe('the local Kavenegar follows the documented API', () => {
  it('answers the HTTP status of the return code, with the envelope; account/info tells the credit', async () => {
    fake.credit = 123_456;
    const info = await callKavenegar(account, 'account/info', {});
    expect(info).toMatchObject({
      return: { status: 200 },
      entries: { remaincredit: 123_456, type: 'master' },
    });
    const res = await fetch(`${fake.url}/v1/${API_KEY}/sms/sendarray.json`);
    expect(res.status).toBe(405);
    expect(await res.json()).toMatchObject({ return: { status: 405 }, entries: null });
  });
});
