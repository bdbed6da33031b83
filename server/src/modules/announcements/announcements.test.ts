import { describe, expect, it } from 'vitest';
import type { Announcement } from '@vosul/common/announcements';
import { factory, logIn, logInAsAdmin, setupTestApp, type Session } from '../../../test/harness.js';

const { app, db } = await setupTestApp();

const provinceA = await factory.province(db, { name: 'تهران' });
const provinceB = await factory.province(db, { name: 'فارس' });
const branchA = await factory.branch(db, { provinceId: provinceA.id });
const branchB = await factory.branch(db, { provinceId: provinceB.id });

let seq = 0;
async function create(s: Session, fields: Partial<Record<string, unknown>> = {}) {
  seq += 1;
  const res = await s.post('/api/v1/announcements', {
    code: `N${seq}`,
    title: `اعلان ${seq}`,
    description: 'شرح اعلان',
    announced_on: '2025-01-01',
    status: 'active',
    province_id: null,
    ...fields,
  });
  return res;
}

const titlesOf = async (s: Session) =>
  (await s.get('/api/v1/announcements/current')).json<{ items: Announcement[] }>().items.map((a) => a.title);

function upload(s: Session, id: number, name: string, content: Buffer) {
  const boundary = '----vosul-test';
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/pdf\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return app.inject({
    method: 'PUT',
    url: `/api/v1/announcements/${id}/file`,
    payload,
    headers: {
      cookie: s.cookie,
      'x-csrf-token': s.csrf,
      'content-type': `multipart/form-data; boundary=${boundary}`,
    },
  });
}

describe('announcements (V10)', () => {
  it('HQ creates one with its author and date; the code is unique; the change is audited', async () => {
    const admin = await logInAsAdmin(app);
    const res = await create(admin, { code: 'GEN1', title: 'تعطیلی نوروز', announced_on: '۲۰۲۵-۰۱-۰۲' });
    expect(res.statusCode).toBe(201);
    const a = res.json<Announcement>();
    expect(a).toMatchObject({
      code: 'GEN1',
      title: 'تعطیلی نوروز',
      announced_on: '2025-01-02',
      status: 'active',
      province_id: null,
      has_file: false,
    });
    expect(a.author_name).not.toBe('');
    const again = await create(admin, { code: 'GEN1' });
    expect(again.statusCode).toBe(409);
    expect(again.json<{ error: { field: string } }>().error.field).toBe('code');
    const audit = await db
      .selectFrom('audit_log')
      .select('action')
      .where('entity', '=', 'announcement')
      .where('entity_id', '=', String(a.id))
      .execute();
    expect(audit).toEqual([{ action: 'create' }]);
  });

  it('each user sees the active general ones and their own province’s, never another province’s', async () => {
    const admin = await logInAsAdmin(app);
    await create(admin, { title: 'عمومی فعال' });
    await create(admin, { title: 'عمومی غیرفعال', status: 'inactive' });
    await create(admin, { title: 'ویژه تهران', province_id: provinceA.id });
    await create(admin, { title: 'ویژه فارس', province_id: provinceB.id });
    await create(admin, { title: 'آینده', announced_on: '2999-01-01' });

    await factory.user(db, { username: 'in_a', group: 'collection_officer', branchId: branchA.id });
    await factory.user(db, { username: 'in_b', group: 'province_admin', provinceId: provinceB.id });
    const a = await titlesOf(await logIn(app, 'in_a', 'password-1234'));
    expect(a).toContain('عمومی فعال');
    expect(a).toContain('ویژه تهران');
    expect(a).not.toContain('ویژه فارس');
    expect(a).not.toContain('عمومی غیرفعال');
    expect(a).not.toContain('آینده');

    const b = await titlesOf(await logIn(app, 'in_b', 'password-1234'));
    expect(b).toContain('ویژه فارس');
    expect(b).not.toContain('ویژه تهران');

    // HQ's own home page: the general ones
    const hq = await titlesOf(admin);
    expect(hq).toContain('عمومی فعال');
    expect(hq).not.toContain('ویژه فارس');
  });

  it('a province user with the page manages only their province’s; another province’s is 404', async () => {
    const admin = await logInAsAdmin(app);
    const other = (await create(admin, { province_id: provinceA.id })).json<Announcement>();
    const general = (await create(admin)).json<Announcement>();
    const user = await factory.user(db, {
      username: 'prov_b_admin',
      group: 'hq_admin',
      provinceId: provinceB.id,
    });
    const s = await logIn(app, user.username, 'password-1234');

    const own = await create(s, { province_id: provinceB.id, title: 'اعلان استان فارس' });
    expect(own.statusCode).toBe(201);
    expect((await create(s, { province_id: provinceA.id })).statusCode).toBe(403);
    expect((await create(s, { province_id: null })).statusCode).toBe(403);

    expect((await s.get(`/api/v1/announcements/${other.id}`)).statusCode).toBe(404);
    expect((await s.patch(`/api/v1/announcements/${other.id}`, { title: 'x', version: 1 })).statusCode).toBe(
      404,
    );
    expect((await s.post('/api/v1/announcements/delete', { ids: [other.id] })).statusCode).toBe(404);
    expect(
      (await s.patch(`/api/v1/announcements/${general.id}`, { title: 'x', version: 1 })).statusCode,
    ).toBe(403);

    const list = (await s.get('/api/v1/announcements?page_size=500')).json<{ items: Announcement[] }>();
    expect(list.items.some((a) => a.province_id === provinceA.id)).toBe(false);
    expect(list.items.some((a) => a.title === 'اعلان استان فارس')).toBe(true);
  });

  it('searches, edits with the version, and deletes several at once', async () => {
    const admin = await logInAsAdmin(app);
    const one = (await create(admin, { code: 'SRCH1', title: 'جلسه کمیته وصول' })).json<Announcement>();
    const two = (await create(admin, { code: 'SRCH2', title: 'جلسه کمیته حقوقی' })).json<Announcement>();
    const found = (await admin.get('/api/v1/announcements?q=کمیته')).json<{ items: Announcement[] }>();
    expect(found.items.map((a) => a.code).sort()).toEqual(['SRCH1', 'SRCH2']);

    const edited = await admin.patch(`/api/v1/announcements/${one.id}`, {
      status: 'inactive',
      version: one.version,
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.json<Announcement>().status).toBe('inactive');
    const stale = await admin.patch(`/api/v1/announcements/${one.id}`, { title: 'x', version: one.version });
    expect(stale.statusCode).toBe(409);

    expect((await admin.post('/api/v1/announcements/delete', { ids: [one.id, two.id] })).statusCode).toBe(
      204,
    );
    expect((await admin.get(`/api/v1/announcements/${one.id}`)).statusCode).toBe(404);
  });

  it('refuses a missing title or date with the field named in Persian', async () => {
    const admin = await logInAsAdmin(app);
    const res = await create(admin, { title: '' });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ error: { field: string; message: string } }>().error).toMatchObject({
      field: 'title',
      message: expect.stringContaining('عنوان اعلان را وارد کنید') as unknown,
    });
    const bad = await create(admin, { announced_on: '2025-02-30' });
    expect(bad.json<{ error: { field: string } }>().error.field).toBe('announced_on');
  });

  it('keeps an optional file that the users it concerns download', async () => {
    const admin = await logInAsAdmin(app);
    const a = (await create(admin, { province_id: provinceA.id, title: 'با پیوست' })).json<Announcement>();
    const pdf = Buffer.from('%PDF-1.4\n% test\n');
    const res = await upload(admin, a.id, 'بخشنامه.pdf', pdf);
    expect(res.statusCode).toBe(200);
    expect(res.json<Announcement>()).toMatchObject({ has_file: true, file_name: 'بخشنامه.pdf' });

    await factory.user(db, { username: 'file_a', group: 'collection_officer', branchId: branchA.id });
    await factory.user(db, { username: 'file_b', group: 'collection_officer', branchId: branchB.id });
    const inA = await logIn(app, 'file_a', 'password-1234');
    const got = await inA.get(`/api/v1/announcements/${a.id}/file`);
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('application/pdf');
    expect(got.headers['content-disposition']).toContain(encodeURIComponent('بخشنامه.pdf'));
    expect(got.rawPayload.equals(pdf)).toBe(true);
    const inB = await logIn(app, 'file_b', 'password-1234');
    expect((await inB.get(`/api/v1/announcements/${a.id}/file`)).statusCode).toBe(404);

    expect((await admin.delete(`/api/v1/announcements/${a.id}/file`)).statusCode).toBe(204);
    expect((await inA.get(`/api/v1/announcements/${a.id}/file`)).statusCode).toBe(404);
  });
});
