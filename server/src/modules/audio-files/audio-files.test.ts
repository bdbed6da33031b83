import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AudioFile } from '@vosul/common/audio-files';
import { factory, logIn, logInAsAdmin, setupTestApp, type Session } from '../../../test/harness.js';
import { readAudioContent } from './audio-format.js';

const { app, db } = await setupTestApp();

/** A PCM WAV of `seconds` (8 kHz, 16-bit mono, as telephone systems play), a tone so it is not empty. */
export function wavBytes(seconds: number, sampleRate = 8000): Buffer {
  const samples = Math.round(seconds * sampleRate);
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++)
    data.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / sampleRate)), i * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'latin1');
  header.write('fmt ', 12, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28); // byte rate
  header.writeUInt16LE(2, 32); // block align
  header.writeUInt16LE(16, 34); // bits per sample
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/**
 * An MP3 (MPEG-1 layer III, 128 kbit/s, 44.1 kHz: 417-byte frames of 1,152 samples) of `frames`
 * frames, after an ID3v2 tag as encoders write one.
 */
function mp3Bytes(frames: number): Buffer {
  const id3 = Buffer.from([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 10, ...Buffer.alloc(10)]);
  const frame = Buffer.alloc(417);
  frame.set([0xff, 0xfb, 0x90, 0x64]);
  return Buffer.concat([id3, ...Array.from({ length: frames }, () => frame)]);
}

function upload(
  s: Session,
  file: { name: string; content: Buffer; type?: string },
  fields: Record<string, string>,
) {
  const boundary = '----vosul-audio';
  const parts = Object.entries(fields).map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  const payload = Buffer.concat([
    Buffer.from(parts.join('')),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'audio/wav'}\r\n\r\n`,
    ),
    file.content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return app.inject({
    method: 'POST',
    url: '/api/v1/audio-files',
    payload,
    headers: {
      cookie: s.cookie,
      'x-csrf-token': s.csrf,
      'content-type': `multipart/form-data; boundary=${boundary}`,
    },
  });
}

const admin = await logInAsAdmin(app);

describe('audio files (V30)', () => {
  it('a WAV is read from its content: its duration listed with who uploaded it; the upload is audited', async () => {
    const res = await upload(
      admin,
      { name: 'یادآوری.wav', content: wavBytes(3.5) },
      { code: 'REMIND1', title: 'یادآوری قسط' },
    );
    expect(res.statusCode).toBe(201);
    expect(res.json<AudioFile>()).toMatchObject({ code: 'REMIND1', format: 'wav', duration_ms: 3500 });
    const list = (await admin.get('/api/v1/audio-files?q=REMIND')).json<{ items: AudioFile[] }>();
    expect(list.items).toEqual([
      expect.objectContaining({
        code: 'REMIND1',
        title: 'یادآوری قسط',
        duration_ms: 3500,
        uploaded_by_name: expect.any(String) as string,
        uploaded_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as string,
      }),
    ]);
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'actor_username'])
      .where('entity', '=', 'audio_file')
      .execute();
    expect(audit).toEqual([{ action: 'create', actor_username: 'admin' }]);
  });

  it('an MP3 is read frame by frame (after its ID3 tag): 100 frames of 1,152 samples at 44.1 kHz', async () => {
    const res = await upload(
      admin,
      { name: 'warning.mp3', content: mp3Bytes(100), type: 'audio/mpeg' },
      { code: 'WARN1', title: 'اخطار' },
    );
    expect(res.statusCode).toBe(201);
    expect(res.json<AudioFile>()).toMatchObject({ format: 'mp3', duration_ms: 2612 });
  });

  it('a text file renamed .wav or .mp3 is refused, whatever its declared type, naming the field in Persian', async () => {
    const text = Buffer.from('RIFF? no: this is a plain text note, not audio at all.\n'.repeat(20));
    for (const name of ['note.wav', 'note.mp3']) {
      const res = await upload(
        admin,
        { name, content: text, type: 'audio/mpeg' },
        { code: 'TXT', title: 'متن' },
      );
      expect(res.statusCode).toBe(415);
      expect(res.json()).toMatchObject({
        error: {
          code: 'unsupported_media',
          field: 'file',
          message: expect.stringContaining('WAV یا MP3') as string,
        },
      });
    }
    // a WAV header over a truncated body is no WAV either
    expect(readAudioContent(wavBytes(1).subarray(0, 30))).toBeNull();
  });

  it('a recording over two minutes is refused with its length', async () => {
    const res = await upload(
      admin,
      { name: 'long.wav', content: wavBytes(121) },
      { code: 'LONG', title: 'طولانی' },
    );
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      error: {
        code: 'validation_failed',
        field: 'file',
        message: expect.stringContaining('۱۲۱ ثانیه') as string,
      },
    });
  });

  it('a WAV whose byte rate its samples cannot carry (a long recording passed off as short) is refused', async () => {
    const forged = wavBytes(121);
    forged.writeUInt32LE(8000 * 2 * 100, 28); // a byte rate a hundred times the samples'
    expect(readAudioContent(forged)).toBeNull();
    const res = await upload(
      admin,
      { name: 'forged.wav', content: forged },
      { code: 'FORGED', title: 'جعلی' },
    );
    expect(res.statusCode).toBe(415);
    expect(res.json<{ error: { field: string } }>().error.field).toBe('file');
  });

  it('the code and title are checked with the field named; a code is unique', async () => {
    const noTitle = await upload(admin, { name: 'a.wav', content: wavBytes(1) }, { code: 'T1' });
    expect(noTitle.json()).toMatchObject({
      error: { field: 'title', message: 'عنوان فایل صوتی را وارد کنید' },
    });
    const twice = await upload(
      admin,
      { name: 'a.wav', content: wavBytes(1) },
      { code: 'REMIND1', title: 'دوباره' },
    );
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ error: { field: 'code' } });
  });

  it('playback streams the file with its type, and the byte range a player asks for', async () => {
    const wav = wavBytes(2);
    const { id } = (
      await upload(admin, { name: 'play.wav', content: wav }, { code: 'PLAY', title: 'پخش' })
    ).json<AudioFile>();
    const whole = await admin.get(`/api/v1/audio-files/${id}/content`);
    expect(whole.statusCode).toBe(200);
    expect(whole.headers['content-type']).toBe('audio/wav');
    expect(whole.headers['accept-ranges']).toBe('bytes');
    expect(whole.rawPayload.equals(wav)).toBe(true);
    const part = await app.inject({
      method: 'GET',
      url: `/api/v1/audio-files/${id}/content`,
      headers: { cookie: admin.cookie, range: 'bytes=100-199' },
    });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 100-199/${wav.length}`);
    expect(part.rawPayload.equals(wav.subarray(100, 200))).toBe(true);
    const past = await app.inject({
      method: 'GET',
      url: `/api/v1/audio-files/${id}/content`,
      headers: { cookie: admin.cookie, range: `bytes=${wav.length}-` },
    });
    expect(past.statusCode).toBe(416);
    // a last position before the first is no valid range: the header is ignored, the whole file goes
    const inverted = await app.inject({
      method: 'GET',
      url: `/api/v1/audio-files/${id}/content`,
      headers: { cookie: admin.cookie, range: 'bytes=5-3' },
    });
    expect(inverted.statusCode).toBe(200);
    expect(inverted.rawPayload.equals(wav)).toBe(true);
  });

  it("the phone system fetches a recording without a session, by its content's hash only; nothing else is served so", async () => {
    const wav = wavBytes(1.5);
    await upload(admin, { name: 'pbx.wav', content: wav }, { code: 'PBX', title: 'مرکز تلفن' });
    const sha = createHash('sha256').update(wav).digest('hex');
    const fetched = (name: string) => app.inject({ method: 'GET', url: `/api/v1/pbx-media/${name}` });
    const ok = await fetched(`${sha}.wav`);
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toBe('audio/wav');
    expect(ok.headers['etag']).toBe(`"${sha}"`);
    expect(ok.rawPayload.equals(wav)).toBe(true);
    // the PBX's cache asking whether its copy still holds: it does, nothing is sent again
    const again = await app.inject({
      method: 'GET',
      url: `/api/v1/pbx-media/${sha}.wav`,
      headers: { 'if-none-match': `"${sha}"` },
    });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
    // another format, another hash, a name that is no hash: not found
    expect((await fetched(`${sha}.mp3`)).statusCode).toBe(404);
    expect((await fetched(`${'0'.repeat(64)}.wav`)).statusCode).toBe(404);
    expect((await fetched(`${sha.toUpperCase()}.wav`)).statusCode).toBe(404);
    expect((await fetched('PBX.wav')).statusCode).toBe(404);
    // a stored file that is not a recording (an uploaded snapshot, say) is never served by its hash
    const other = Buffer.from('customer_no,first_name\nC-1,علی\n');
    const otherSha = createHash('sha256').update(other).digest('hex');
    await db
      .insertInto('stored_files')
      .values({ media_type: 'audio/wav', byte_size: other.length, sha256: otherSha, content: other })
      .execute();
    expect((await fetched(`${otherSha}.wav`)).statusCode).toBe(404);
  });

  it('delete: the file and its bytes go, audited; one a workflow call plays is refused, naming the workflow', async () => {
    const { id } = (
      await upload(admin, { name: 'x.wav', content: wavBytes(1) }, { code: 'GONE', title: 'حذفی' })
    ).json<AudioFile>();
    const files = async () =>
      Number(
        (
          await db
            .selectFrom('stored_files')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await files();
    expect((await admin.post('/api/v1/audio-files/delete', { ids: [id] })).statusCode).toBe(204);
    expect(await files()).toBe(before - 1);
    expect((await admin.get(`/api/v1/audio-files/${id}/content`)).statusCode).toBe(404);

    const used = (
      await upload(admin, { name: 'y.wav', content: wavBytes(1) }, { code: 'USED', title: 'در استفاده' })
    ).json<AudioFile>();
    const wf = await db
      .insertInto('workflows')
      .values({
        title: 'یادآوری تلفنی',
        from_day: 1,
        to_day: 30,
        channels: ['call'],
        recipients: ['borrower'],
        start_time: '09:00',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('workflow_templates')
      .values({
        workflow_id: wf.id,
        channel: 'call',
        recipient_role: 'borrower',
        text: 'متن',
        audio_file_id: used.id,
      })
      .execute();
    const refused = await admin.post('/api/v1/audio-files/delete', { ids: [used.id] });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      error: { code: 'in_use', message: expect.stringContaining('یادآوری تلفنی') as string },
    });
  });

  it('only HQ uploads or deletes; a user without the page sees nothing', async () => {
    const province = await factory.province(db);
    const provincial = await factory.user(db, { group: 'hq_admin', provinceId: province.id });
    const p = await logIn(app, provincial.username, 'password-1234');
    expect((await p.get('/api/v1/audio-files')).statusCode).toBe(200);
    const res = await upload(p, { name: 'a.wav', content: wavBytes(1) }, { code: 'PROV', title: 'استانی' });
    expect(res.statusCode).toBe(403);
    const branch = await factory.branch(db);
    const manager = await factory.user(db, { group: 'branch_manager', branchId: branch.id });
    const m = await logIn(app, manager.username, 'password-1234');
    expect((await m.get('/api/v1/audio-files')).statusCode).toBe(403);
  });

  it("a workflow's call names one recording: saved and shown with it; one that does not exist is refused on its field", async () => {
    await db.insertInto('loan_types').values({ code: 'AL1', title: 'مرابحه' }).execute();
    const { id } = (
      await upload(admin, { name: 'c.wav', content: wavBytes(1) }, { code: 'CALL1', title: 'پیام تماس' })
    ).json<AudioFile>();
    const workflow = (audio: number | null) => ({
      title: `تماس ${audio}`,
      loan_type_codes: ['AL1'],
      from_day: audio === null ? 100 : 1,
      to_day: audio === null ? 200 : 30,
      channels: ['sms', 'call'],
      recipients: ['borrower'],
      start_time: '09:00',
      templates: [
        // an SMS plays nothing: a recording named on it is dropped
        { channel: 'sms', recipient_role: 'borrower', text: 'پیامک', audio_file_id: id },
        { channel: 'call', recipient_role: 'borrower', text: 'تماس', audio_file_id: audio ?? 999_999 },
      ],
    });
    const refused = await admin.post('/api/v1/workflows', workflow(null));
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({
      error: { field: 'templates.1.audio_file_id', message: expect.stringContaining('فایل صوتی') as string },
    });
    const saved = await admin.post('/api/v1/workflows', workflow(id));
    expect(saved.statusCode, saved.body).toBe(201);
    expect(saved.json<{ workflow: { templates: unknown[] } }>().workflow.templates).toEqual([
      { channel: 'sms', recipient_role: 'borrower', text: 'پیامک' },
      { channel: 'call', recipient_role: 'borrower', text: 'تماس', audio_file_id: id },
    ]);
  });
});
