import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Holiday } from '@vosul/common/calendar';
import { factory, logIn, logInAsAdmin, setupTestApp, type Session } from '../../../test/harness.js';
import { isWorkingDay, nextWorkingDay } from './calendar.service.js';

const { app, db } = await setupTestApp();

const tehran = await factory.province(db, { name: 'تهران' });
const fars = await factory.province(db, { name: 'فارس' });
const branchInFars = await factory.branch(db, { provinceId: fars.id });

const list = async (s: Session, query: string) =>
  (await s.get(`/api/v1/holidays?${query}`)).json<{ items: Holiday[] }>().items;

const auditOf = (id: number) =>
  db
    .selectFrom('audit_log')
    .select('action')
    .where('entity', '=', 'holiday')
    .where('entity_id', '=', String(id))
    .orderBy('id')
    .execute();

describe('working-day calendar: the seed and the SQL functions', () => {
  it('seeds Nowruz 1405 and Ashura, listed by Jalali month (any digits)', async () => {
    const admin = await logInAsAdmin(app);
    const farvardin = await list(admin, `year=${encodeURIComponent('۱۴۰۵')}&month=1`);
    expect(farvardin.find((h) => h.day === '2026-03-21')).toMatchObject({
      kind: 'official',
      province_id: null,
      title: expect.stringContaining('نوروز') as unknown,
    });
    expect(farvardin.every((h) => h.day >= '2026-03-21' && h.day < '2026-04-21')).toBe(true);
    const tir = await list(admin, 'year=1405&month=4');
    expect(tir.map((h) => h.title)).toContain('عاشورای حسینی');
    // each seeded year has its official holidays
    for (const year of [1404, 1405, 1406])
      expect((await list(admin, `year=${year}`)).length).toBeGreaterThan(20);
  });

  it('Fridays and holidays are not working days; an ordinary Saturday is', async () => {
    expect(await isWorkingDay(db, '2026-03-27', null)).toBe(false); // Friday 7 Farvardin 1405
    expect(await isWorkingDay(db, '2026-03-21', tehran.id)).toBe(false); // 1 Farvardin
    expect(await isWorkingDay(db, '2026-03-28', tehran.id)).toBe(true); // Saturday 8 Farvardin
  });

  it('the next working day skips a Friday and the holidays after it', async () => {
    // Friday 29 Esfand 1404, then Nowruz 1–4 Farvardin 1405: Wednesday 5 Farvardin
    expect(await nextWorkingDay(db, '2026-03-20', tehran.id)).toBe('2026-03-25');
    expect(await nextWorkingDay(db, '2026-03-28', tehran.id)).toBe('2026-03-28');
    // set-based, as the planner calls it
    const { rows } = await sql<{ d: string }>`
      select vosul_next_working_day(v.d, null)::text as d
      from (values (date '2026-06-24'), (date '2026-06-26')) v(d) order by 1`.execute(db);
    // Tasua and Ashura (3–4 Tir) then Friday 5 Tir: Saturday 6 Tir
    expect(rows.map((r) => r.d)).toEqual(['2026-06-27', '2026-06-27']);
  });

  it('a province closure stops only that province', async () => {
    const admin = await logInAsAdmin(app);
    const res = await admin.post('/api/v1/holidays', {
      day: '۱۴۰۵/۰۱/۱۶',
      title: 'آلودگی هوا',
      kind: 'closure',
      province_id: tehran.id,
    });
    expect(res.statusCode).toBe(201);
    expect(res.json<Holiday>()).toMatchObject({ day: '2026-04-05', province_name: 'تهران' });
    expect(await isWorkingDay(db, '2026-04-05', tehran.id)).toBe(false);
    expect(await isWorkingDay(db, '2026-04-05', fars.id)).toBe(true);
    expect(await isWorkingDay(db, '2026-04-05', null)).toBe(true);
    expect(await nextWorkingDay(db, '2026-04-05', tehran.id)).toBe('2026-04-06');

    // the province filter lists the country's days and that province's closures
    const inFars = await list(admin, `year=1405&month=1&province_id=${fars.id}`);
    expect(inFars.some((h) => h.title === 'آلودگی هوا')).toBe(false);
    const inTehran = await list(admin, `year=1405&month=1&province_id=${tehran.id}`);
    expect(inTehran.some((h) => h.title === 'آلودگی هوا')).toBe(true);
    expect(inTehran.some((h) => h.day === '2026-03-21')).toBe(true);
  });
});

describe('working-day calendar: editing', () => {
  it('creates, edits with the version and deletes, every change audited', async () => {
    const admin = await logInAsAdmin(app);
    const created = await admin.post('/api/v1/holidays', {
      day: '2026-05-05',
      title: 'تعطیلی سراسری',
      kind: 'closure',
      province_id: null,
    });
    expect(created.statusCode).toBe(201);
    const h = created.json<Holiday>();
    expect(await isWorkingDay(db, '2026-05-05', fars.id)).toBe(false);

    const edited = await admin.patch(`/api/v1/holidays/${h.id}`, {
      day: '1405/02/16',
      title: 'برف سنگین',
      version: h.version,
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.json<Holiday>()).toMatchObject({ day: '2026-05-06', title: 'برف سنگین' });
    expect(await isWorkingDay(db, '2026-05-05', fars.id)).toBe(true);
    const stale = await admin.patch(`/api/v1/holidays/${h.id}`, { title: 'x', version: h.version });
    expect(stale.statusCode).toBe(409);

    expect((await admin.delete(`/api/v1/holidays/${h.id}`)).statusCode).toBe(204);
    expect(await isWorkingDay(db, '2026-05-06', fars.id)).toBe(true);
    expect(await auditOf(h.id)).toEqual([{ action: 'create' }, { action: 'update' }, { action: 'delete' }]);
  });

  it('refuses a second entry on the same day and province with a Persian 409', async () => {
    const admin = await logInAsAdmin(app);
    const again = await admin.post('/api/v1/holidays', {
      day: '1405/01/01',
      title: 'تکراری',
      kind: 'closure',
      province_id: null,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json<{ error: { field: string; message: string } }>().error).toMatchObject({
      field: 'day',
      message: expect.stringContaining('آغاز نوروز') as unknown,
    });
    // the same day for one province is another entry
    const provincial = await admin.post('/api/v1/holidays', {
      day: '1405/01/01',
      title: 'تعطیلی استانی',
      kind: 'closure',
      province_id: fars.id,
    });
    expect(provincial.statusCode).toBe(201);
  });

  it('names the field and the reason in Persian', async () => {
    const admin = await logInAsAdmin(app);
    const bad = await admin.post('/api/v1/holidays', {
      day: '1405/13/01',
      title: 'x',
      kind: 'closure',
      province_id: null,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { field: string; message: string } }>().error).toMatchObject({
      field: 'day',
      message: expect.stringContaining('معتبر نیست') as unknown,
    });
    const official = await admin.post('/api/v1/holidays', {
      day: '1405/07/07',
      title: 'x',
      kind: 'official',
      province_id: fars.id,
    });
    expect(official.json<{ error: { field: string } }>().error.field).toBe('province_id');
    const noTitle = await admin.post('/api/v1/holidays', { day: '1405/07/07', title: '', kind: 'closure' });
    expect(noTitle.json<{ error: { field: string; message: string } }>().error).toMatchObject({
      field: 'title',
      message: expect.stringContaining('عنوان را وارد کنید') as unknown,
    });
  });

  it('a province user edits only their province’s closures; a branch user only reads', async () => {
    const admin = await logInAsAdmin(app);
    const tehranClosure = (
      await admin.post('/api/v1/holidays', {
        day: '1405/08/10',
        title: 'تعطیلی تهران',
        kind: 'closure',
        province_id: tehran.id,
      })
    ).json<Holiday>();
    await factory.user(db, { username: 'cal_fars', group: 'hq_admin', provinceId: fars.id });
    const s = await logIn(app, 'cal_fars', 'password-1234');

    const own = await s.post('/api/v1/holidays', {
      day: '1405/08/10',
      title: 'تعطیلی فارس',
      kind: 'closure',
      province_id: fars.id,
    });
    expect(own.statusCode).toBe(201);
    const closure = { day: '1405/08/11', title: 'x', kind: 'closure' };
    expect((await s.post('/api/v1/holidays', { ...closure, province_id: tehran.id })).statusCode).toBe(403);
    expect((await s.post('/api/v1/holidays', { ...closure, province_id: null })).statusCode).toBe(403);
    expect(
      (await s.post('/api/v1/holidays', { ...closure, kind: 'official', province_id: null })).statusCode,
    ).toBe(403);
    // another province's closure is out of sight
    expect(
      (await s.patch(`/api/v1/holidays/${tehranClosure.id}`, { title: 'x', version: 1 })).statusCode,
    ).toBe(404);
    expect((await s.delete(`/api/v1/holidays/${tehranClosure.id}`)).statusCode).toBe(404);
    const seen = await list(s, 'year=1405&month=8');
    expect(seen.map((h) => h.title)).toContain('تعطیلی فارس');
    expect(seen.map((h) => h.title)).not.toContain('تعطیلی تهران');
    // a country-wide holiday is HQ's
    const nowruz = (await list(s, 'year=1405&month=1')).find((h) => h.day === '2026-03-21')!;
    expect(
      (await s.patch(`/api/v1/holidays/${nowruz.id}`, { title: 'x', version: nowruz.version })).statusCode,
    ).toBe(403);
    expect((await s.delete(`/api/v1/holidays/${own.json<Holiday>().id}`)).statusCode).toBe(204);

    await factory.user(db, { username: 'cal_branch', group: 'hq_admin', branchId: branchInFars.id });
    const b = await logIn(app, 'cal_branch', 'password-1234');
    expect((await b.get('/api/v1/holidays?year=1405&month=1')).statusCode).toBe(200);
    expect((await b.post('/api/v1/holidays', { ...closure, province_id: fars.id })).statusCode).toBe(403);

    // without the page: 403
    await factory.user(db, {
      username: 'cal_officer',
      group: 'collection_officer',
      branchId: branchInFars.id,
    });
    const o = await logIn(app, 'cal_officer', 'password-1234');
    expect((await o.get('/api/v1/holidays?year=1405')).statusCode).toBe(403);
  });
});
