import { randomBytes } from 'node:crypto';
import { PREDEFINED_GROUPS } from '@vosul/common';
import type { Database } from '../../platform/db/database.js';
import { recordAudit } from '../../platform/audit.js';
import { checkPasswordRules, hashPassword } from '../../platform/passwords.js';
import { insertUser } from './users.repository.js';

export interface FirstStartResult {
  created: boolean;
  /** Set only when the password was generated here: printed once on the console. */
  generatedPassword?: string;
}

const FIRST_START_LOCK = 7_446_002;

/**
 * First start against an empty database (interchange.md): the predefined access groups and the
 * administrator `admin`, whose password is VOSUL_ADMIN_PASSWORD or generated and shown once.
 */
export async function ensureFirstStart(
  db: Database,
  adminPassword: string | undefined,
): Promise<FirstStartResult> {
  return db.transaction().execute(async (trx) => {
    await trx
      .selectNoFrom((eb) => eb.fn('pg_advisory_xact_lock', [eb.val(FIRST_START_LOCK)]).as('l'))
      .execute();
    const anyUser = await trx.selectFrom('users').select('id').limit(1).executeTakeFirst();
    if (anyUser) return { created: false };
    const actor = { system: 'first-start' };
    for (const group of PREDEFINED_GROUPS) {
      const existing = await trx
        .selectFrom('access_groups')
        .select('id')
        .where('code', '=', group.code)
        .executeTakeFirst();
      if (existing) continue;
      const { id } = await trx
        .insertInto('access_groups')
        .values({ code: group.code, title: group.title })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('access_group_pages')
        .values(group.pages.map((page_key) => ({ group_id: id, page_key })))
        .execute();
      await recordAudit(trx, actor, { entity: 'access_group', entityId: id, action: 'create', after: group });
    }
    const generated = adminPassword ? undefined : randomBytes(12).toString('base64url');
    const password = adminPassword ?? generated!;
    checkPasswordRules(password, 'admin', 'VOSUL_ADMIN_PASSWORD');
    const hq = await trx
      .selectFrom('access_groups')
      .select('id')
      .where('code', '=', 'hq_admin')
      .executeTakeFirstOrThrow();
    const admin = await insertUser(trx, {
      username: 'admin',
      password_hash: await hashPassword(password),
      first_name: 'مدیر',
      last_name: 'سامانه',
      user_type: 'full_time',
    });
    await trx.insertInto('user_groups').values({ user_id: admin.id, group_id: hq.id }).execute();
    await recordAudit(trx, actor, {
      entity: 'user',
      entityId: admin.id,
      action: 'create',
      after: { username: 'admin', groups: ['hq_admin'] },
    });
    return { created: true, ...(generated ? { generatedPassword: generated } : {}) };
  });
}
