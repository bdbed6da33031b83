import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ensureFirstStart } from '../src/modules/users/first-start.service.js';
import { createTestDatabase, factory } from './harness.js';

const VOSUL = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin/vosul.js');
const { db, url } = await createTestDatabase();
await ensureFirstStart(db, 'first-admin-pass');

function vosul(args: string[], password?: string) {
  return spawnSync(process.execPath, [VOSUL, ...args], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      VOSUL_SECRET_KEY: 'x'.repeat(40),
      VOSUL_PASSWORD: password,
      LOG_LEVEL: 'silent',
    },
    encoding: 'utf8',
  });
}

describe('vosul user add', () => {
  it('creates a user in a group at a branch, with the password from VOSUL_PASSWORD', async () => {
    const branch = await factory.branch(db, { code: '6140' });
    const res = vosul(
      ['user', 'add', 'officer1', '--group', 'collection_officer', '--branch', '6140', '--json'],
      'officer-pass-123',
    );
    expect(res.status).toBe(0);
    const created = JSON.parse(res.stdout) as { id: number; username: string };
    expect(created.username).toBe('officer1');
    const row = await db
      .selectFrom('users')
      .select(['branch_id', 'province_id'])
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ branch_id: branch.id, province_id: branch.province_id });
  });

  it('fails with a one-line reason for an unknown group, a weak password or a taken name', () => {
    const unknown = vosul(['user', 'add', 'nouser1', '--group', 'no_such_group'], 'officer-pass-123');
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    expect(unknown.stderr).toContain('no_such_group');
    expect(vosul(['user', 'add', 'nouser2', '--group', 'hq_admin'], 'short').status).not.toBe(0);
    expect(vosul(['user', 'add', 'admin', '--group', 'hq_admin'], 'another-pass-123').stderr).toContain(
      'admin',
    );
  });
});
