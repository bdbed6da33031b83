import { afterAll, describe, expect, it } from 'vitest';
import { startFakeKavenegar } from '../../../peers/kavenegar.js';
import { ProviderDownError, type OutgoingMessage } from './adapter.js';
import { failoverAdapter } from './failover.js';
import { kavenegarSmsAdapter } from './kavenegar.js';

// two Kavenegar accounts, each on its own local Kavenegar
const first = await startFakeKavenegar({ apiKey: 'first-key-0000000000000000', price: 100 });
const second = await startFakeKavenegar({ apiKey: 'second-key-000000000000000', price: 100 });
afterAll(async () => {
  await first.close();
  await second.close();
});
const account = (url: string, apiKey: string) => ({ apiUrl: url, apiKey, line: '10004346', perSecond: 1000 });

let clock = 0;
const downs: ProviderDownError[] = [];
const sms = failoverAdapter(
  [
    kavenegarSmsAdapter(account(first.url, 'first-key-0000000000000000')),
    kavenegarSmsAdapter(
      { ...account(second.url, 'second-key-000000000000000'), line: '20002000' },
      'kavenegar_2',
    ),
  ],
  { restMs: 60_000, now: () => clock, onDown: async (err) => void downs.push(err) },
);

let id = 1;
const batch = (n: number): OutgoingMessage[] =>
  Array.from({ length: n }, () => ({
    localId: `${id++}-1`,
    channel: 'sms',
    address: '09121234567',
    text: 'بدهی',
    sender: '30001234',
  }));
/** the send calls a Kavenegar was asked (one message by sms/send, a batch by sms/sendarray) */
const sends = (k: typeof first) => (k.calls.get('sms/send') ?? 0) + (k.calls.get('sms/sendarray') ?? 0);
const providers = (results: Awaited<ReturnType<typeof sms.send>>) =>
  results.map((r) => (r.outcome === 'accepted' ? r.provider : r.outcome));

describe('two SMS providers in order (issue 6 point 3)', () => {
  it('the first carries the traffic while it works', async () => {
    expect(providers(await sms.send(batch(3)))).toEqual(['kavenegar', 'kavenegar', 'kavenegar']);
    expect(second.messages).toHaveLength(0);
  });

  it('the first out of credit: the second takes the batch, the administrators are told, and the first rests', async () => {
    first.credit = 0;
    const results = await sms.send(batch(2));
    expect(providers(results)).toEqual(['kavenegar_2', 'kavenegar_2']);
    expect(second.messages).toHaveLength(2);
    // from the second account's own line: the lines of the settings are the first provider's numbers
    expect(second.messages.map((m) => m.sender)).toEqual(['20002000', '20002000']);
    expect(downs.map((d) => [d.provider, d.options.needsAdmin])).toEqual([['kavenegar', true]]);
    // the reports of those messages are asked of the second
    const ids = results.map((r) => (r.outcome === 'accepted' ? r.providerId : ''));
    expect((await sms.status(ids, 'kavenegar_2')).map((r) => r.status)).toEqual(['delivered', 'delivered']);
    // while it rests, the first is not called at all
    const calls = sends(first);
    expect(providers(await sms.send(batch(1)))).toEqual(['kavenegar_2']);
    expect(sends(first)).toBe(calls);
  });

  it('recovery: after its rest the first is tried again and takes the traffic back', async () => {
    first.credit = Number.MAX_SAFE_INTEGER;
    clock += 60_000;
    expect(providers(await sms.send(batch(2)))).toEqual(['kavenegar', 'kavenegar']);
  });

  it('the first unreachable: the second carries the traffic, nobody is alerted; back, the first takes it again after its rest', async () => {
    await first.down();
    try {
      const alerts = downs.length;
      const carried = second.messages.length;
      expect(providers(await sms.send(batch(2)))).toEqual(['kavenegar_2', 'kavenegar_2']);
      expect(second.messages.length - carried).toBe(2);
      // a server that cannot be reached is no matter for an administrator (no account to mend)
      expect(downs.slice(alerts).map((d) => [d.provider, Boolean(d.options.needsAdmin)])).toEqual([
        ['kavenegar', false],
      ]);
    } finally {
      await first.up();
    }
    // up again, but resting: the second still carries; after the rest the first takes the traffic back
    const calls = sends(first);
    expect(providers(await sms.send(batch(1)))).toEqual(['kavenegar_2']);
    expect(sends(first)).toBe(calls);
    clock += 60_000;
    expect(providers(await sms.send(batch(2)))).toEqual(['kavenegar', 'kavenegar']);
  });

  it('both down: the channel stops (the dispatcher pauses it and the messages wait)', async () => {
    await first.down();
    second.credit = 0;
    try {
      const error = await sms.send(batch(1)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderDownError);
      expect((error as ProviderDownError).provider).toBe('kavenegar_2');
    } finally {
      await first.up();
      second.credit = Number.MAX_SAFE_INTEGER;
    }
  });
});
