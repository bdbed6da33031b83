import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { SmsReply } from '@vosul/common/sms-replies';
import { factory, logIn, logInAsAdmin, setupTestApp } from '../../../test/harness.js';
import { startFakeSmsc } from '../../peers/smpp.js';
import { SmppLink } from '../notifications/channels/smpp.js';

const { app, db, url } = await setupTestApp();
const admin = await logInAsAdmin(app);
const pool = new pg.Pool({ connectionString: url, max: 2 });
const LINE = '30001234';
// the bank's SMSC; the replies come over the bind as they would from phones
const smsc = await startFakeSmsc({ systemId: 'bank', password: 'pw' });
const link = new SmppLink(
  {
    host: smsc.host,
    port: smsc.port,
    systemId: 'bank',
    password: 'pw',
    systemType: '',
    line: LINE,
    perSecond: 100,
  },
  'smpp',
  pool,
);
afterAll(async () => {
  await link.close();
  await smsc.close();
  await pool.end();
});

const branch = await factory.branch(db);
await db
  .insertInto('customers')
  .values({
    customer_no: '7700001',
    first_name: 'رضا',
    last_name: 'نوری',
    mobile: '09125550001',
    branch_id: branch.id,
  })
  .execute();

await link.ready();
await smsc.sendFromPhone('989125550001', LINE, '۱۱');
await smsc.sendFromPhone('989125550002', LINE, 'قسط را تا آخر هفته می‌پردازم');

const list = async (query = '') =>
  (await admin.get(`/api/v1/sms-replies${query}`)).json<{ items: SmsReply[]; total: number }>();

describe('replies to the bank’s lines and the «۱۱» opt-outs (issue 6 point 2)', () => {
  it('lists what phones sent, newest first, with the name the book has for the mobile and whether the opt-out holds', async () => {
    const page = await list();
    expect(page.total).toBe(2);
    expect(page.items.map((r) => [r.source, r.person_name, r.line, r.text, r.opt_out, r.opted_out])).toEqual([
      ['09125550002', null, LINE, 'قسط را تا آخر هفته می‌پردازم', false, false],
      ['09125550001', 'رضا نوری', LINE, '۱۱', true, true],
    ]);
    // found by the mobile typed in Persian digits, or by words of the text; the opt-outs alone
    expect((await list('?q=۰۹۱۲۵۵۵۰۰۰۱')).items.map((r) => r.source)).toEqual(['09125550001']);
    expect((await list(`?q=${encodeURIComponent('آخر هفته')}`)).total).toBe(1);
    expect((await list('?opted_out=true')).items.map((r) => r.source)).toEqual(['09125550001']);
  });

  it('is HQ only: a branch user with the page is refused', async () => {
    await factory.user(db, { username: 'sr_branch_admin', branchId: branch.id });
    const clerk = await logIn(app, 'sr_branch_admin', 'password-1234');
    expect(clerk.user.pages).toContain('contact_blocks');
    expect((await clerk.get('/api/v1/sms-replies')).statusCode).toBe(403);
    expect((await clerk.delete(`/api/v1/sms-opt-outs/09125550001/${LINE}`)).statusCode).toBe(403);
    expect((await list('?opted_out=true')).total).toBe(1);
  });

  it('lifts an opt-out the customer withdrew (audited); the reply stays, its opt-out no longer holds', async () => {
    const lifted = await admin.delete(`/api/v1/sms-opt-outs/09125550001/${LINE}`);
    expect(lifted.statusCode).toBe(204);
    expect((await list('?opted_out=true')).total).toBe(0);
    expect((await list('?q=09125550001')).items[0]).toMatchObject({ opt_out: true, opted_out: false });
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'entity_id', 'actor_username'])
      .where('entity', '=', 'sms_opt_out')
      .execute();
    expect(audit).toEqual([{ action: 'delete', entity_id: `09125550001:${LINE}`, actor_username: 'admin' }]);
    expect((await admin.delete(`/api/v1/sms-opt-outs/09125550001/${LINE}`)).statusCode).toBe(404);
  });
});
