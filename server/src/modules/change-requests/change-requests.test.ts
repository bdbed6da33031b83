import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { factory, logIn, logInAsAdmin, setupTestApp, type Session } from '../../../test/harness.js';
import { importSnapshot } from '../intake/import.service.js';

const { app, db, url } = await setupTestApp();
const admin = await logInAsAdmin(app);

interface CaseBody {
  id: number;
  customer_no: string;
  mobile: string | null;
  address: string | null;
  father_name: string | null;
  overridden: string[];
  version: number;
}
interface Submitted {
  change_request: { id: number; kind: 'create' | 'update' };
  message: string;
}
interface Field {
  field: string;
  label: string;
  old_value: string | null;
  new_value: string | null;
  changed: boolean;
}
interface RequestBody {
  id: number;
  kind: string;
  status: string;
  customer_id: number | null;
  customer_no: string;
  full_name: string;
  mobile: string | null;
  fields: Field[];
  requested_by: { id: number | null; name: string };
  reviewed_by: { id: number | null; name: string } | null;
  review_note: string | null;
  stale_reason: string | null;
  own: boolean;
}
type ErrorBody = { error: { code: string; field?: string; message: string } };

/** A valid national code from nine digits (the check digit computed). */
function nationalCode(nine: string): string {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(nine[i]) * (10 - i);
  const r = sum % 11;
  return nine + String(r < 2 ? r : 11 - r);
}

// ---- places, groups and people ---------------------------------------------------------------

const province = await factory.province(db);
const home = await factory.branch(db, { provinceId: province.id, code: 'CRB1' });
const away = await factory.branch(db, { provinceId: province.id, code: 'CRB2' });

/** A group whose users' case changes need approval (they also see the request list). */
const makerGroup = (
  await admin.post('/api/v1/groups', {
    title: 'کارمندان شعبه (با تأیید)',
    pages: ['active_cases', 'change_requests'],
    needs_approval: true,
  })
).json<{ id: number; needs_approval: boolean }>();

async function userInGroup(username: string, groupId: number, branchId: number) {
  const user = await factory.user(db, { username, branchId });
  await db.deleteFrom('user_groups').where('user_id', '=', user.id).execute();
  await db.insertInto('user_groups').values({ user_id: user.id, group_id: groupId }).execute();
  return user;
}

await userInGroup('maker.cr', makerGroup.id, home.id);
await factory.user(db, { username: 'checker.cr', group: 'branch_manager', branchId: home.id });
await factory.user(db, { username: 'checker.away', group: 'branch_manager', branchId: away.id });
const maker = await logIn(app, 'maker.cr', 'password-1234');
const checker = await logIn(app, 'checker.cr', 'password-1234');
const awayChecker = await logIn(app, 'checker.away', 'password-1234');

let seq = 0;
async function directCase(fields: Record<string, unknown> = {}): Promise<CaseBody> {
  seq += 1;
  const res = await admin.post('/api/v1/cases', {
    customer_no: `CR${seq}`,
    branch_id: home.id,
    first_name: 'علی',
    last_name: `رضایی ${seq}`,
    mobile: `0912000${String(1000 + seq)}`,
    national_id: nationalCode(String(200000000 + seq)),
    ...fields,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<CaseBody>();
}

const getCase = async (id: number) => (await admin.get(`/api/v1/cases/${id}`)).json<CaseBody>();
const getRequest = async (s: Session, id: number) =>
  (await s.get(`/api/v1/change-requests/${id}`)).json<RequestBody>();

async function requestEdit(id: number, changes: Record<string, unknown>): Promise<number> {
  const { version } = await getCase(id);
  const res = await maker.patch(`/api/v1/cases/${id}`, { ...changes, version });
  expect(res.statusCode, res.body).toBe(202);
  return res.json<Submitted>().change_request.id;
}

// ---- tests -----------------------------------------------------------------------------------

describe('groups that need approval', () => {
  it('saves, loads and audits the flag with the group', async () => {
    expect(makerGroup.needs_approval).toBe(true);
    const created = (
      await admin.post('/api/v1/groups', { title: 'گروه بدون تأیید', pages: ['active_cases'] })
    ).json<{ id: number; needs_approval: boolean; version: number }>();
    expect(created.needs_approval).toBe(false);
    const edited = await admin.patch(`/api/v1/groups/${created.id}`, { needs_approval: true, version: 1 });
    expect(edited.json<{ needs_approval: boolean }>().needs_approval).toBe(true);
    // a PATCH without the flag leaves it as it is
    const titled = await admin.patch(`/api/v1/groups/${created.id}`, { title: 'گروه با تأیید', version: 2 });
    expect(titled.json<{ needs_approval: boolean }>().needs_approval).toBe(true);
    const audit = await db
      .selectFrom('audit_log')
      .select(['before', 'after'])
      .where('entity', '=', 'access_group')
      .where('entity_id', '=', String(created.id))
      .where('action', '=', 'update')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    expect(audit.before).toMatchObject({ needs_approval: false });
    expect(audit.after).toMatchObject({ needs_approval: true });
  });

  it('grants the request list to branch managers and province admins', async () => {
    expect(checker.user.pages).toContain('change_requests');
    const row = await db
      .selectFrom('access_group_pages as gp')
      .innerJoin('access_groups as g', 'g.id', 'gp.group_id')
      .select('g.code')
      .where('gp.page_key', '=', 'change_requests')
      .execute();
    expect(row.map((r) => r.code)).toEqual(
      expect.arrayContaining(['hq_admin', 'branch_manager', 'province_admin']),
    );
  });
});

describe('an edit by a user who needs approval (V19)', () => {
  it('becomes a request: nothing changes in the case until a reviewer accepts it', async () => {
    const c = await directCase({ address: 'تهران' });
    const res = await maker.patch(`/api/v1/cases/${c.id}`, {
      mobile: '۰۹۳۵۱۱۱۲۲۳۳',
      address: 'تهران',
      version: c.version,
    });
    expect(res.statusCode).toBe(202);
    const submitted = res.json<Submitted>();
    expect(submitted.change_request.kind).toBe('update');
    expect(submitted.message).toContain('برای تأیید ارسال شد');
    const unchanged = await getCase(c.id);
    expect(unchanged.mobile).toBe(c.mobile);
    expect(unchanged.version).toBe(c.version);

    // the reviewer's list: customer number, name, mobile as it would be, status
    const list = await checker.get(`/api/v1/change-requests?q=${c.customer_no}`);
    expect(list.statusCode).toBe(200);
    const items = list.json<{ items: Record<string, unknown>[]; total: number }>().items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      id: submitted.change_request.id,
      kind: 'update',
      status: 'pending',
      customer_no: c.customer_no,
      mobile: '09351112233',
      requested_by_name: expect.stringContaining('maker.cr') as string,
    });
    const pending = await checker.get('/api/v1/change-requests?status=pending&page_size=100');
    expect(pending.json<{ items: { id: number }[] }>().items.map((i) => i.id)).toContain(
      submitted.change_request.id,
    );

    // the request page: old beside new, only the changed field flagged
    const request = await getRequest(checker, submitted.change_request.id);
    const mobile = request.fields.find((f) => f.field === 'mobile')!;
    expect(mobile).toMatchObject({
      label: 'تلفن همراه',
      old_value: c.mobile,
      new_value: '09351112233',
      changed: true,
    });
    expect(request.fields.filter((f) => f.changed).map((f) => f.field)).toEqual(['mobile']);
    expect(request.fields.find((f) => f.field === 'branch_id')!.new_value).toBe(`CRB1 - ${home.name}`);
    expect(request).toMatchObject({ status: 'pending', stale_reason: null, own: false });

    // a second request on the same case waits for the first
    const again = await maker.patch(`/api/v1/cases/${c.id}`, { address: 'قم', version: c.version });
    expect(again.statusCode).toBe(409);
    expect(again.json<ErrorBody>().error.message).toContain('در انتظار بررسی');
  });

  it('runs the same validation as a direct edit (V15): a bad value gets its field error and no request', async () => {
    const c = await directCase();
    const before = await db
      .selectFrom('change_requests')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    for (const [body, field] of [
      [{ national_id: '0013542418' }, 'national_id'],
      [{ mobile: '0212345678' }, 'mobile'],
      [{ postal_code: '12345' }, 'postal_code'],
    ] as const) {
      const res = await maker.patch(`/api/v1/cases/${c.id}`, { ...body, version: c.version });
      expect(res.statusCode).toBe(400);
      expect(res.json<ErrorBody>().error.field).toBe(field);
    }
    const stale = await maker.patch(`/api/v1/cases/${c.id}`, { father_name: 'حسن', version: c.version + 5 });
    expect(stale.json<ErrorBody>().error.code).toBe('stale_edit');
    const nothing = await maker.patch(`/api/v1/cases/${c.id}`, { mobile: c.mobile, version: c.version });
    expect(nothing.statusCode).toBe(400);
    const after = await db
      .selectFrom('change_requests')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('accept applies the change with a version bump and an audit entry naming requester and reviewer', async () => {
    const c = await directCase();
    const id = await requestEdit(c.id, { father_name: 'حسین', mobile: '09127776655' });

    // nobody reviews their own request
    const own = await maker.post(`/api/v1/change-requests/${id}/accept`, {});
    expect(own.statusCode).toBe(403);
    expect(own.json<ErrorBody>().error.message).toContain('خودتان');
    expect((await maker.post(`/api/v1/change-requests/${id}/reject`, {})).statusCode).toBe(403);
    expect((await getRequest(maker, id)).own).toBe(true);

    const res = await checker.post(`/api/v1/change-requests/${id}/accept`, { note: 'مدارک بررسی شد' });
    expect(res.statusCode, res.body).toBe(200);
    const decided = res.json<RequestBody>();
    expect(decided).toMatchObject({
      status: 'accepted',
      review_note: 'مدارک بررسی شد',
      customer_id: c.id,
      reviewed_by: { name: expect.stringContaining('checker.cr') as string },
      requested_by: { name: expect.stringContaining('maker.cr') as string },
    });
    // the page still shows what was there before beside what was applied
    expect(decided.fields.find((f) => f.field === 'mobile')).toMatchObject({
      old_value: c.mobile,
      new_value: '09127776655',
      changed: true,
    });

    const after = await getCase(c.id);
    expect(after).toMatchObject({ father_name: 'حسین', mobile: '09127776655', version: c.version + 1 });
    const audit = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity', '=', 'case')
      .where('entity_id', '=', String(c.id))
      .where('action', '=', 'update')
      .executeTakeFirstOrThrow();
    expect(audit.actor_username).toBe('checker.cr');
    expect(audit.after).toMatchObject({
      mobile: '09127776655',
      change_request: { id, requested_by: expect.stringContaining('maker.cr') as string },
    });
    const decision = await db
      .selectFrom('audit_log')
      .select('after')
      .where('entity', '=', 'change_request')
      .where('entity_id', '=', String(id))
      .where('action', '=', 'update')
      .executeTakeFirstOrThrow();
    expect(decision.after).toMatchObject({
      status: 'accepted',
      reviewed_by: expect.stringContaining('checker.cr') as string,
    });

    // a decided request is not reviewed again
    const twice = await checker.post(`/api/v1/change-requests/${id}/accept`, {});
    expect(twice.statusCode).toBe(409);
    expect(twice.json<ErrorBody>().error.message).toContain('قبلاً بررسی شده');
    expect((await admin.post(`/api/v1/change-requests/${id}/reject`, {})).statusCode).toBe(409);
    expect((await getCase(c.id)).version).toBe(c.version + 1);
  });

  it('reject changes nothing and records the reviewer and note', async () => {
    const c = await directCase();
    const id = await requestEdit(c.id, { mobile: '09125554433' });
    const res = await checker.post(`/api/v1/change-requests/${id}/reject`, { note: 'شماره تأیید نشد' });
    expect(res.statusCode).toBe(200);
    expect(res.json<RequestBody>()).toMatchObject({ status: 'rejected', review_note: 'شماره تأیید نشد' });
    expect(await getCase(c.id)).toMatchObject({ mobile: c.mobile, version: c.version });
    // the case is free for a new request
    await requestEdit(c.id, { mobile: '09125554434' });
  });

  it('keeps another branch out: its requests are not listed and answer 404', async () => {
    const c = await directCase();
    const id = await requestEdit(c.id, { address: 'اصفهان' });
    const list = await awayChecker.get('/api/v1/change-requests?page_size=500');
    expect(list.json<{ items: { id: number }[] }>().items.map((i) => i.id)).not.toContain(id);
    expect((await awayChecker.get(`/api/v1/change-requests/${id}`)).statusCode).toBe(404);
    expect((await awayChecker.post(`/api/v1/change-requests/${id}/accept`, {})).statusCode).toBe(404);
    expect((await awayChecker.post(`/api/v1/change-requests/${id}/reject`, {})).statusCode).toBe(404);
    expect((await getRequest(checker, id)).status).toBe('pending');
    expect((await getCase(c.id)).address).toBe(c.address);
  });

  it('refuses a direct delete: deletion has no request, so a user who needs approval may not delete', async () => {
    const c = await directCase();
    const res = await maker.post('/api/v1/cases/delete', { ids: [c.id] });
    expect(res.statusCode).toBe(403);
    expect(res.json<ErrorBody>().error.message).toContain('نیاز به تأیید');
    expect((await admin.get(`/api/v1/cases/${c.id}`)).statusCode).toBe(200);
  });

  it('applies in one transaction: a rule failing at accept leaves both the case and the request as they were', async () => {
    const c = await directCase();
    const id = await requestEdit(c.id, { customer_no: 'CR-TAKEN', father_name: 'جواد' });
    await directCase({ customer_no: 'CR-TAKEN' }); // someone takes the number meanwhile
    const res = await checker.post(`/api/v1/change-requests/${id}/accept`, {});
    expect(res.statusCode).toBe(409);
    expect(res.json<ErrorBody>().error.field).toBe('customer_no');
    expect(await getCase(c.id)).toMatchObject({
      customer_no: c.customer_no,
      father_name: null,
      version: c.version,
    });
    expect((await getRequest(checker, id)).status).toBe('pending');
  });
});

describe('a new case by a user who needs approval', () => {
  it('is a request until accepted, then a new active case', async () => {
    const body = {
      customer_no: 'CR-NEW-1',
      branch_id: home.id,
      first_name: 'مریم',
      last_name: 'كاظمي',
      mobile: '+98 912 333 4455',
      national_id: nationalCode('300000001'),
    };
    const bad = await maker.post('/api/v1/cases', { ...body, national_id: '0013542418' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<ErrorBody>().error.field).toBe('national_id');
    const outside = await maker.post('/api/v1/cases', { ...body, branch_id: away.id });
    expect(outside.json<ErrorBody>().error.field).toBe('branch_id');

    const res = await maker.post('/api/v1/cases', body);
    expect(res.statusCode).toBe(202);
    const id = res.json<Submitted>().change_request.id;
    expect(
      await db.selectFrom('customers').select('id').where('customer_no', '=', 'CR-NEW-1').executeTakeFirst(),
    ).toBeUndefined();
    expect((await maker.post('/api/v1/cases', body)).statusCode).toBe(409); // one pending request per number

    const request = await getRequest(checker, id);
    expect(request).toMatchObject({
      kind: 'create',
      customer_no: 'CR-NEW-1',
      full_name: 'مریم کاظمی',
      mobile: '09123334455',
    });
    expect(request.fields.find((f) => f.field === 'last_name')).toMatchObject({
      old_value: null,
      new_value: 'کاظمی',
      changed: true,
    });
    expect(request.fields.find((f) => f.field === 'email')).toMatchObject({ changed: false });

    const accepted = await checker.post(`/api/v1/change-requests/${id}/accept`, {});
    expect(accepted.statusCode, accepted.body).toBe(200);
    const caseId = accepted.json<RequestBody>().customer_id!;
    const active = await admin.get('/api/v1/cases?q=CR-NEW-1');
    expect(active.json<{ items: { id: number; full_name: string }[] }>().items).toEqual([
      expect.objectContaining({ id: caseId, full_name: 'مریم کاظمی' }),
    ]);
    const audit = await db
      .selectFrom('audit_log')
      .select(['actor_username', 'after'])
      .where('entity', '=', 'case')
      .where('entity_id', '=', String(caseId))
      .executeTakeFirstOrThrow();
    expect(audit.actor_username).toBe('checker.cr');
    expect(audit.after).toMatchObject({ change_request: { id } });
  });

  it('is stale when the customer number was registered meanwhile: accept refused, reject allowed', async () => {
    const res = await maker.post('/api/v1/cases', {
      customer_no: 'CR-NEW-2',
      branch_id: home.id,
      first_name: 'رضا',
      last_name: 'نوری',
    });
    const id = res.json<Submitted>().change_request.id;
    const direct = await directCase({ customer_no: 'CR-NEW-2', last_name: 'نوری اصلی' });
    const request = await getRequest(checker, id);
    expect(request.stale_reason).toContain('CR-NEW-2');
    const accept = await checker.post(`/api/v1/change-requests/${id}/accept`, {});
    expect(accept.statusCode).toBe(409);
    expect(accept.json<ErrorBody>().error.message).toContain('پس از ثبت این درخواست');
    expect((await getCase(direct.id)).version).toBe(1);
    expect((await checker.post(`/api/v1/change-requests/${id}/reject`, {})).statusCode).toBe(200);
  });
});

describe('a request made stale by a later intake', () => {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  afterAll(() => pool.end());
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  async function intake(asOf: string, mobile: string) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vosul-cr-'));
    dirs.push(dir);
    const files: Record<string, string> = {
      'customers.csv': `customer_no,first_name,last_name,mobile,address,branch_code\nCR-CORE-1,سارا,محمدی,${mobile},شیراز,CRB1\n`,
      'facilities.csv': 'facility_no,customer_no,branch_code,loan_type_code,granted_on,principal\n',
      'installments.csv': 'facility_no,seq,due_on,amount\n',
      'guarantors.csv': 'facility_no,customer_no\n',
    };
    for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
    await importSnapshot(pool, { folder: dir, asOf });
    const row = await db
      .selectFrom('customers')
      .select('id')
      .where('customer_no', '=', 'CR-CORE-1')
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }

  it('says so and refuses to overwrite the newer value; an untouched field still applies as an override', async () => {
    const id = await intake('2024-10-01', '09121110000');
    const requestId = await requestEdit(id, { mobile: '09121112222' });
    await intake('2024-10-02', '09121113333'); // the core banking system sends a new mobile

    const request = await getRequest(checker, requestId);
    expect(request.stale_reason).toContain('«تلفن همراه»');
    const accept = await checker.post(`/api/v1/change-requests/${requestId}/accept`, {});
    expect(accept.statusCode).toBe(409);
    expect(accept.json<ErrorBody>().error.message).toContain('تغییر کرده است');
    expect((await getCase(id)).mobile).toBe('09121113333');
    expect((await getRequest(checker, requestId)).status).toBe('pending');
    expect((await checker.post(`/api/v1/change-requests/${requestId}/reject`, {})).statusCode).toBe(200);

    // a request on another field is not stale because the mobile moved; accepted, it is a staff override
    const addressRequest = await requestEdit(id, { address: 'شیراز، خیابان زند' });
    const accepted = await checker.post(`/api/v1/change-requests/${addressRequest}/accept`, {});
    expect(accepted.statusCode, accepted.body).toBe(200);
    const after = await getCase(id);
    expect(after).toMatchObject({ address: 'شیراز، خیابان زند', mobile: '09121113333' });
    expect(after.overridden).toEqual(['address']);
  });
});
