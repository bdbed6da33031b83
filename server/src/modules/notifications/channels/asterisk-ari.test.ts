import { createHash } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { logInAsAdmin, setupTestApp } from '../../../../test/harness.js';
import { createBook } from '../../../../test/book.js';
import { startFakeAri, type CallOutcome } from '../../../peers/asterisk-ari.js';
import { createSecretBox } from '../../../platform/secrets.js';
import { dispatch } from '../dispatch.service.js';
import { asteriskAriAdapter, closeAriListeners } from './asterisk-ari.js';
import { channelAdapters } from './index.js';

const OUTCOMES: Record<string, CallOutcome> = { '17': 'busy', '19': 'no_answer', '21': 'reject' };
// a number ending in 17, 19 or 21 is busy, not answered or rejects the call; the rest answer
const fake = await startFakeAri({
  username: 'vosul',
  password: 'ari-secret-1234',
  outcome: (number) => OUTCOMES[number.slice(-2)] ?? 'answer',
});
const { app, db, config, url } = await setupTestApp();
const pool = new pg.Pool({ connectionString: url, max: 4 });
afterAll(async () => {
  closeAriListeners();
  await pool.end();
  await fake.close();
});
const secrets = createSecretBox(config.secretKey!);
const admin = await logInAsAdmin(app);
const ivr = {
  provider: 'asterisk_ari',
  number: '02161000',
  ari_url: fake.url,
  username: 'vosul',
  secret: 'ari-secret-1234',
  ari_app: 'vosul-calls',
  ari_endpoint: 'PJSIP/{number}@mokhaberat',
};
// as an administrator sets it on the settings page
const saved = await admin.patch('/api/v1/settings/channels', { ivr });

const q = async <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
  (await pool.query(text, params)).rows as T[];

// a facility 45 days and 25,000,000 Rials overdue, and a workflow whose call plays recording REMIND1
await createBook(
  pool,
  [{ no: 'F-100', installments: [{ due: '2025-04-17', amount: 25_000_000 }] }],
  '2025-06-01',
);
const [facility] = await q<{ id: string }>(`SELECT id FROM facilities WHERE facility_no = 'F-100'`);
await pool.query(
  `INSERT INTO facility_figures_stored (facility_id, as_of, overdue_installments, overdue_days, overdue_amount, unpaid_amount,
     penalty, collectible_amount, cbi_class) VALUES ($1, '2025-06-01', 1, 45, 25000000, 25000000, 0, 25000000, 'past_due')`,
  [facility!.id],
);
const [file] = await q<{ id: string }>(
  `INSERT INTO stored_files (media_type, byte_size, sha256, content) VALUES ('audio/wav', 4, '-', '\\x00'::bytea) RETURNING id`,
);
const [audio] = await q<{ id: number }>(
  `INSERT INTO audio_files (code, title, format, duration_ms, file_id, uploaded_by_name)
   VALUES ('REMIND1', 'یادآوری', 'wav', 4000, $1, 'مدیر') RETURNING id`,
  [file!.id],
);
const [workflow] = await q<{ id: number }>(
  `INSERT INTO workflows (title, from_day, to_day, channels, recipients, start_time)
   VALUES ('تماس یادآوری', 1, 90, '{call}', '{borrower}', '09:00') RETURNING id`,
);
await pool.query(
  `INSERT INTO workflow_templates (workflow_id, channel, recipient_role, text, audio_file_id)
   VALUES ($1, 'call', 'borrower', 'بدهی معوق', $2)`,
  [workflow!.id, audio!.id],
);

/** Calls due now to these numbers, as the planner writes them (`attempts` a day, at once apart). */
async function queueCalls(numbers: string[], attempts = 1, workflowId: number | null = workflow!.id) {
  for (const [i, number] of numbers.entries())
    await pool.query(
      `INSERT INTO notifications (occasion_key, business_date, workflow_id, facility_id, facility_nos, branch_id,
         recipient_role, recipient_name, person_key, channel, address, text, max_attempts, retry_minutes,
         scheduled_at, window_ends_at, next_try_at)
       VALUES ($1, '2025-06-01', $2, $3, '{F-100}', 1, 'borrower', 'علی احمدی', $4, 'call', $5, 'بدهی معوق', $6, 0,
         now() - interval '1 minute', now() + interval '1 hour', now() - interval '1 minute')`,
      [`w:${i}:${number}:call:2025-06-01#1`, workflowId, facility!.id, `p${number}`, number, attempts],
    );
}

/** `body` with Vosul's address for the PBX set in the IVR account as an administrator sets it, then cleared. */
async function withMediaUrl(address: string, body: () => Promise<void>) {
  const set = await admin.patch('/api/v1/settings/channels', { ivr: { ari_media_url: address } });
  expect(set.json()).toMatchObject({ ivr: { ari_media_url: address } });
  try {
    await body();
  } finally {
    await admin.patch('/api/v1/settings/channels', { ivr: { ari_media_url: '' } });
  }
}

const run = async () =>
  dispatch(pool, await channelAdapters(db, pool, secrets), {
    untilEmpty: true,
    idleMs: 20,
    timezone: 'Asia/Tehran',
  });

beforeEach(async () => {
  await pool.query(
    'TRUNCATE letter_marks, notifications, notification_events, channel_states, provider_alerts, ari_calls',
  );
});

describe('calls through Asterisk ARI (issue 6 point 4)', () => {
  it('the account is saved with its application and endpoint; «آزمایش اتصال» answers with the PBX version', async () => {
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({
      ivr: { provider: 'asterisk_ari', ari_app: 'vosul-calls', ari_endpoint: 'PJSIP/{number}@mokhaberat' },
    });
    const test = await admin.post('/api/v1/settings/channels/test', { group: 'ivr' });
    expect(test.json()).toMatchObject({
      ok: true,
      provider: 'asterisk_ari',
      message: expect.stringContaining('20.5.0') as string,
    });
  });

  it('answered, busy, no answer and rejected are recorded from the channel events; the answered callee hears the recording, the amount and the days', async () => {
    const numbers = ['09120000001', '09120000017', '09120000019', '09120000021'];
    const before = fake.originates.length;
    const playsBefore = fake.plays.length;
    await queueCalls(numbers);
    expect(await run()).toMatchObject({ sent: 4, reports: 4, failed: 0 });
    const rows = await q<{
      address: string;
      status: string;
      provider: string;
      provider_id: string;
      id: string;
    }>(`SELECT address, status, provider, provider_id, id::text FROM notifications ORDER BY address`);
    expect(rows.map((r) => [r.address, r.status, r.provider])).toEqual([
      ['09120000001', 'answered', 'asterisk_ari'],
      ['09120000017', 'busy', 'asterisk_ari'],
      ['09120000019', 'no_answer', 'asterisk_ari'],
      ['09120000021', 'rejected', 'asterisk_ari'],
    ]);
    const originated = fake.originates.slice(before);
    expect(originated).toHaveLength(4);
    for (const r of rows) {
      const call = originated.find((o) => o.channelId === r.provider_id)!;
      expect(call).toMatchObject({
        endpoint: `PJSIP/${r.address}@mokhaberat`,
        app: 'vosul-calls',
        callerId: '02161000',
        variables: { VOSUL_LOCAL_ID: `${r.id}-1` },
      });
    }
    // only the answered call plays, and is hung up once the message is over
    const answered = rows[0]!.provider_id;
    expect(fake.plays.slice(playsBefore)).toEqual([
      { channelId: answered, media: ['sound:vosul/REMIND1', 'number:25000000', 'number:45'], lang: '' },
    ]);
    expect(fake.hungUp).toContain(answered);
    expect(await q(`SELECT status, cause FROM ari_calls ORDER BY status`)).toEqual([
      { status: 'answered', cause: 16 },
      { status: 'busy', cause: 17 },
      { status: 'no_answer', cause: 19 },
      { status: 'rejected', cause: 21 },
    ]);
  });

  it('a busy callee is called again by the pipeline (P3) while attempts remain; each attempt is its own call', async () => {
    await queueCalls(['09120000017'], 2);
    const before = fake.originates.length;
    await run();
    expect(await q(`SELECT attempt, status FROM notifications ORDER BY attempt`)).toEqual([
      { attempt: 1, status: 'busy' },
      { attempt: 2, status: 'busy' },
    ]);
    const ids = fake.originates.slice(before).map((o) => o.channelId);
    expect(new Set(ids).size).toBe(2);
  });

  it('an originate sent again after its answer was lost places no second call; the outcome survives a restart', async () => {
    const account = {
      url: fake.url,
      username: 'vosul',
      password: 'ari-secret-1234',
      app: 'vosul-calls',
      endpoint: 'PJSIP/{number}@mokhaberat',
      callerId: '',
    };
    const message = {
      localId: '900-1',
      channel: 'call' as const,
      address: '09120000019',
      text: '',
      call: { audio: 'REMIND1', audioFile: null, amount: '1000', overdueDays: 3 },
    };
    const first = await asteriskAriAdapter(account, pool).send([message]);
    const again = await asteriskAriAdapter(account, pool).send([message]);
    expect(first).toEqual([{ localId: '900-1', outcome: 'accepted', providerId: 'vosul-900-1' }]);
    expect(again).toEqual(first);
    expect(fake.originates.filter((o) => o.channelId === 'vosul-900-1')).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 200));
    closeAriListeners(); // the process restarts: what the listener recorded is in the database
    const reports = await asteriskAriAdapter(account, pool).status(['vosul-900-1']);
    expect(reports).toEqual([
      { providerId: 'vosul-900-1', status: 'no_answer', at: expect.any(Date) as Date },
    ]);
    // sent once more after the call ended (Asterisk would take the freed id again): still the one call
    expect(await asteriskAriAdapter(account, pool).send([message])).toEqual(first);
    expect(fake.originates.filter((o) => o.channelId === 'vosul-900-1')).toHaveLength(1);
  });

  it('a workflow call without a recording fails with the reason; nothing is dialled', async () => {
    await queueCalls(['09120000001'], 1, null);
    const before = fake.originates.length;
    await run();
    const [row] = await q<{ status: string; last_error: string }>(
      `SELECT status, last_error FROM notifications`,
    );
    expect(row).toMatchObject({
      status: 'failed',
      last_error: expect.stringContaining('فایل صوتی') as string,
    });
    expect(fake.originates.length).toBe(before);
  });

  it("with Vosul's address in the account, the PBX fetches the recording from Vosul by its content's name and plays it", async () => {
    const recording = Buffer.from('RIFF-the-recorded-reminder-WAVE');
    const sha = createHash('sha256').update(recording).digest('hex');
    await pool.query(`UPDATE stored_files SET content = $1, sha256 = $2, byte_size = $3 WHERE id = $4`, [
      recording,
      sha,
      recording.length,
      file!.id,
    ]);
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    await withMediaUrl(`${address}/`, async () => {
      await queueCalls(['09120000001']);
      const plays = fake.plays.length;
      const fetches = fake.fetches.length;
      await run();
      expect(await q(`SELECT status FROM notifications`)).toEqual([{ status: 'answered' }]);
      const media = `${address}/api/v1/pbx-media/${sha}.wav`;
      expect(fake.plays.slice(plays).map((p) => p.media)).toEqual([
        [`sound:${media}`, 'number:25000000', 'number:45'],
      ]);
      // what the PBX received is the recording itself
      expect(fake.fetches.slice(fetches)).toEqual([
        { url: media, status: 200, contentType: 'audio/wav', body: recording },
      ]);
    });
  });

  it('a recording the PBX cannot fetch fails the answered call with the reason: the callee heard no message', async () => {
    // an address where no Vosul listens
    await withMediaUrl('http://127.0.0.1:9', async () => {
      await queueCalls(['09120000001']);
      const fetches = fake.fetches.length;
      await run();
      expect(fake.fetches.slice(fetches)).toEqual([expect.objectContaining({ status: 0 })]);
      const [row] = await q<{ status: string; last_error: string; id: string }>(
        `SELECT status, last_error, id::text FROM notifications`,
      );
      expect(row).toMatchObject({
        status: 'failed',
        last_error: expect.stringContaining('فایل صوتی') as string,
      });
      const [event] = await q<{ detail: string }>(
        `SELECT detail FROM notification_events WHERE notification_id = $1 AND status = 'failed'`,
        [row!.id],
      );
      expect(event!.detail).toBe(row!.last_error);
    });
  });

  it('a refused password stops the channel with the reason and alerts the administrators; «آزمایش اتصال» says so', async () => {
    await admin.patch('/api/v1/settings/channels', { ivr: { secret: 'wrong-password' } });
    try {
      await queueCalls(['09120000001']);
      await run();
      expect(await q(`SELECT status FROM notifications`)).toEqual([{ status: 'queued' }]);
      const [state] = await q<{ reason: string }>(`SELECT reason FROM channel_states WHERE channel = 'call'`);
      expect(state!.reason).toContain('۴۰۱');
      expect(await q(`SELECT provider FROM provider_alerts`)).toEqual([{ provider: 'asterisk_ari' }]);
      const test = await admin.post('/api/v1/settings/channels/test', { group: 'ivr' });
      expect(test.json()).toMatchObject({ ok: false, message: expect.stringContaining('۴۰۱') as string });
    } finally {
      await admin.patch('/api/v1/settings/channels', { ivr: { secret: 'ari-secret-1234' } });
    }
  });
});
