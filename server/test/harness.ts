import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { PREDEFINED_GROUPS } from '@vosul/common';
import { buildApp } from '../src/app.js';
import { parseConfig, type Config } from '../src/platform/config.js';
import { openDatabase, type Database } from '../src/platform/db/database.js';
import { createSecretBox } from '../src/platform/secrets.js';
import { ensureFirstStart } from '../src/modules/users/first-start.service.js';
import { insertUser } from '../src/modules/users/users.repository.js';
import { hashPassword } from '../src/platform/passwords.js';

const TEMPLATE_DATABASE = 'vosul_test_template';
export const ADMIN_PASSWORD = 'admin-password-123';

export interface TestContext {
  db: Database;
  app: FastifyInstance;
  config: Config;
  url: string;
}

/**
 * A test file's own database, cloned from the migrated template, with first start done (groups and
 * `admin` / ADMIN_PASSWORD), and the app built on it. Dropped after the file.
 */
export async function setupTestApp(overrides: Record<string, string> = {}): Promise<TestContext> {
  const { db, url } = await createTestDatabase();
  const config = parseConfig({
    DATABASE_URL: url,
    VOSUL_SECRET_KEY: 'test-secret-key-test-secret-key-0123456789',
    VOSUL_DATA_DIR: '/tmp/vosul-test-data',
    LOG_LEVEL: 'silent',
    ...overrides,
  });
  await ensureFirstStart(db, ADMIN_PASSWORD);
  const app = await buildApp({ config, db, secrets: createSecretBox(config.secretKey!), logger: false });
  await app.ready();
  afterAll(() => app.close());
  return { db, app, config, url };
}

/** A test file's own empty (migrated) database, cloned from the template; dropped after the file. */
export async function createTestDatabase(): Promise<{ db: Database; url: string }> {
  const adminUrl = inject('adminDatabaseUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = openDatabase(url.toString(), 'Asia/Tehran', 5);
  afterAll(async () => {
    await handle.close();
    const drop = new pg.Client({ connectionString: adminUrl });
    await drop.connect();
    await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await drop.end();
  });
  return { db: handle.db, url: url.toString() };
}

/** A signed-in client over app.inject: cookie and CSRF token sent like the web app does. */
export interface Session {
  cookie: string;
  csrf: string;
  user: { id: number; pages: string[] };
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  delete(url: string): Promise<LightMyRequestResponse>;
}

export async function logIn(
  app: FastifyInstance,
  username: string,
  password: string,
  ip = '127.0.0.1',
): Promise<Session> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password },
    remoteAddress: ip,
  });
  if (res.statusCode !== 200) throw new Error(`login of ${username} failed: ${res.statusCode} ${res.body}`);
  const setCookie = res.cookies.find((c) => c.name === 'vosul_session');
  const cookie = `vosul_session=${setCookie!.value}`;
  const body = res.json<{ csrf_token: string; user: { id: number; pages: string[] } }>();
  const send = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
    app.inject({
      method,
      url,
      remoteAddress: ip,
      headers: { cookie, ...(method === 'GET' ? {} : { 'x-csrf-token': body.csrf_token }) },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  return {
    cookie,
    csrf: body.csrf_token,
    user: body.user,
    get: (url) => send('GET', url),
    post: (url, payload) => send('POST', url, payload),
    patch: (url, payload) => send('PATCH', url, payload),
    delete: (url) => send('DELETE', url),
  };
}

export const logInAsAdmin = (app: FastifyInstance) => logIn(app, 'admin', ADMIN_PASSWORD);

let counter = 0;
/** Test data straight into the tables (the HTTP paths have their own tests). */
export const factory = {
  async province(db: Database, fields: { code?: string; name?: string } = {}) {
    counter += 1;
    return db
      .insertInto('provinces')
      .values({ code: fields.code ?? `P${counter}`, name: fields.name ?? `استان ${counter}` })
      .returningAll()
      .executeTakeFirstOrThrow();
  },
  async branch(
    db: Database,
    fields: { code?: string; name?: string; provinceId?: number; parentId?: number; ip?: string } = {},
  ) {
    counter += 1;
    const provinceId = fields.provinceId ?? (await factory.province(db)).id;
    return db
      .insertInto('branches')
      .values({
        code: fields.code ?? `B${counter}`,
        name: fields.name ?? `شعبه ${counter}`,
        province_id: provinceId,
        parent_id: fields.parentId ?? null,
        address: null,
        ip: fields.ip ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  },
  /** A user in a predefined group (by code), at a branch, a province or HQ; password `password-1234`. */
  async user(
    db: Database,
    fields: {
      username?: string;
      group?: (typeof PREDEFINED_GROUPS)[number]['code'];
      branchId?: number;
      provinceId?: number;
    } = {},
  ) {
    counter += 1;
    let provinceId = fields.provinceId ?? null;
    if (fields.branchId) {
      provinceId = (
        await db
          .selectFrom('branches')
          .select('province_id')
          .where('id', '=', fields.branchId)
          .executeTakeFirstOrThrow()
      ).province_id;
    }
    const { id } = await insertUser(db, {
      username: fields.username ?? `user${counter}`,
      password_hash: await hashPassword('password-1234'),
      first_name: 'کاربر',
      last_name: `آزمون ${counter}`,
      user_type: 'full_time',
      branch_id: fields.branchId ?? null,
      province_id: provinceId,
    });
    const user = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const group = await db
      .selectFrom('access_groups')
      .select('id')
      .where('code', '=', fields.group ?? 'hq_admin')
      .executeTakeFirstOrThrow();
    await db.insertInto('user_groups').values({ user_id: user.id, group_id: group.id }).execute();
    return user;
  },
};
