import { describe, expect, it } from 'vitest';
import { PREDEFINED_GROUPS } from '@vosul/common';
import { ensureFirstStart } from '../src/modules/users/first-start.service.js';
import { verifyPassword } from '../src/platform/passwords.js';
import { createTestDatabase } from './harness.js';

describe('first start (interchange.md)', () => {
  it('creates the predefined groups and admin with a generated password shown once; no default password', async () => {
    const { db } = await createTestDatabase();
    const first = await ensureFirstStart(db, undefined);
    expect(first.created).toBe(true);
    expect(first.generatedPassword?.length).toBeGreaterThanOrEqual(12);
    const admin = await db
      .selectFrom('users')
      .select('password_hash')
      .where('username', '=', 'admin')
      .executeTakeFirstOrThrow();
    expect(await verifyPassword(admin.password_hash, first.generatedPassword!)).toBe(true);
    const groups = await db.selectFrom('access_groups').select('code').execute();
    expect(groups.map((g) => g.code).sort()).toEqual(PREDEFINED_GROUPS.map((g) => g.code).sort());
    const again = await ensureFirstStart(db, undefined);
    expect(again).toEqual({ created: false });
  });

  it('takes VOSUL_ADMIN_PASSWORD when set, and refuses one that breaks the rules', async () => {
    const a = await createTestDatabase();
    expect(await ensureFirstStart(a.db, 'chosen-admin-pass')).toEqual({ created: true });
    const b = await createTestDatabase();
    await expect(ensureFirstStart(b.db, 'admin')).rejects.toThrow();
    expect(await b.db.selectFrom('users').select('id').execute()).toEqual([]);
  });

  it('two generated passwords differ (nothing built in)', async () => {
    const [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    const [x, y] = await Promise.all([ensureFirstStart(a.db, undefined), ensureFirstStart(b.db, undefined)]);
    expect(x.generatedPassword).not.toBe(y.generatedPassword);
  });
});
