import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ADMIN_PASSWORD, factory, logIn, logInAsAdmin, setupTestApp } from '../../../test/harness.js';

const { app, db } = await setupTestApp();

const login = (username: string, password: string, ip = '127.0.0.1') =>
  app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password },
    remoteAddress: ip,
  });

describe('login (V1)', () => {
  it('answers the user, a CSRF token and an HttpOnly SameSite session cookie', async () => {
    const res = await login('admin', ADMIN_PASSWORD);
    expect(res.statusCode).toBe(200);
    const body = res.json<{
      user: { username: string; pages: string[]; scope: string };
      csrf_token: string;
    }>();
    expect(body.user.username).toBe('admin');
    expect(body.user.scope).toBe('hq');
    expect(body.user.pages).toContain('users');
    expect(body.csrf_token.length).toBeGreaterThan(20);
    const cookie = res.cookies.find((c) => c.name === 'vosul_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Strict');
  });

  it('refuses a wrong password with 401 and records both outcomes in the login report table', async () => {
    const res = await login('admin', 'wrong-password');
    expect(res.statusCode).toBe(401);
    expect(res.json<{ error: { code: string; request_id: string } }>().error).toMatchObject({
      code: 'unauthenticated',
    });
    const events = await db
      .selectFrom('login_events')
      .select(['succeeded', 'reason', 'ip'])
      .where('username', '=', 'admin')
      .execute();
    expect(events).toContainEqual({ succeeded: false, reason: 'bad_password', ip: '127.0.0.1' });
    expect(events.some((e) => e.succeeded)).toBe(true);
  });

  it('locks the account after 5 failures in 15 minutes, even for the right password, and says how long', async () => {
    const user = await factory.user(db, { username: 'locky' });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await login('locky', 'nope-nope-nope', '10.0.0.9')).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    const locked = await login('locky', 'password-1234');
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(800);
    expect(locked.json<{ error: { message: string } }>().error.message).toContain('دقیقه');
    // The window passes: the failures age out and the right password works again.
    await db
      .updateTable('login_events')
      .set({ at: sql`at - interval '16 minutes'` })
      .where('user_id', '=', user.id)
      .execute();
    expect((await login('locky', 'password-1234')).statusCode).toBe(200);
  });

  it('answers an unknown username like a wrong password', async () => {
    const res = await login('nobody-here', 'whatever-123');
    expect(res.statusCode).toBe(401);
  });

  it('names the missing field in Persian on bad input', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'admin' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ error: { field: string } }>().error.field).toBe('password');
  });
});

describe('sessions', () => {
  it('requires the CSRF header on cookie-authenticated writes', async () => {
    const s = await logInAsAdmin(app);
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: { cookie: s.cookie },
      payload: { current_password: 'x', new_password: 'y', repeat_password: 'y' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('csrf_failed');
  });

  it('expires a session idle longer than the setting', async () => {
    const s = await logInAsAdmin(app);
    expect((await s.get('/api/v1/auth/me')).statusCode).toBe(200);
    await db
      .updateTable('sessions')
      .set({ last_seen_at: sql`now() - interval '31 minutes'` })
      .execute();
    expect((await s.get('/api/v1/auth/me')).statusCode).toBe(401);
  });

  it('logs out: the cookie no longer works', async () => {
    const s = await logInAsAdmin(app);
    expect((await s.post('/api/v1/auth/logout')).statusCode).toBe(204);
    expect((await s.get('/api/v1/auth/me')).statusCode).toBe(401);
  });

  it("restricts a branch's users to the branch IP rule (single address or CIDR)", async () => {
    const branch = await factory.branch(db, { ip: '192.168.10.0/24' });
    await factory.user(db, { username: 'ipuser', group: 'collection_officer', branchId: branch.id });
    expect((await login('ipuser', 'password-1234', '192.168.11.5')).statusCode).toBe(403);
    const s = await logIn(app, 'ipuser', 'password-1234', '192.168.10.77');
    expect(s.user.pages).toEqual(expect.arrayContaining(['followup_cartable']));
    await db.updateTable('branches').set({ ip: '192.168.10.5' }).where('id', '=', branch.id).execute();
    expect((await s.get('/api/v1/auth/me')).statusCode).toBe(403);
  });
});

describe('own password (V5)', () => {
  it('checks the current password, the rules and the repeat; then the new one works', async () => {
    await factory.user(db, { username: 'changer' });
    const s = await logIn(app, 'changer', 'password-1234');
    const wrongCurrent = await s.post('/api/v1/auth/password', {
      current_password: 'bad',
      new_password: 'brand-new-pass-1',
      repeat_password: 'brand-new-pass-1',
    });
    expect(wrongCurrent.json<{ error: { field: string } }>().error.field).toBe('current_password');
    const short = await s.post('/api/v1/auth/password', {
      current_password: 'password-1234',
      new_password: 'short',
      repeat_password: 'short',
    });
    expect(short.json<{ error: { field: string } }>().error.field).toBe('new_password');
    const same = await s.post('/api/v1/auth/password', {
      current_password: 'password-1234',
      new_password: 'changer',
      repeat_password: 'changer',
    });
    expect(same.statusCode).toBe(400);
    const mismatch = await s.post('/api/v1/auth/password', {
      current_password: 'password-1234',
      new_password: 'brand-new-pass-1',
      repeat_password: 'brand-new-pass-2',
    });
    expect(mismatch.json<{ error: { field: string } }>().error.field).toBe('repeat_password');
    const ok = await s.post('/api/v1/auth/password', {
      current_password: 'password-1234',
      new_password: 'brand-new-pass-1',
      repeat_password: 'brand-new-pass-1',
    });
    expect(ok.statusCode).toBe(204);
    expect((await login('changer', 'password-1234')).statusCode).toBe(401);
    expect((await login('changer', 'brand-new-pass-1')).statusCode).toBe(200);
  });
});
