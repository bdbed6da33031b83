import { sql } from 'kysely';
import type { Database } from '../../platform/db/database.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError } from '../../platform/errors.js';
import { checkPasswordRules, hashPassword } from '../../platform/passwords.js';

/** `vosul user add`: a user in the given groups (code or title), at a branch or at HQ. */
export async function createUserFromCli(
  db: Database,
  input: { username: string; password: string; groups: string[]; branchCode: string | undefined },
): Promise<{ id: number; username: string }> {
  const username = input.username.trim();
  if (!/^[A-Za-z0-9_.-]{3,50}$/.test(username)) {
    throw new AppError('validation_failed', 'username: 3–50 Latin letters, digits, ".", "_" or "-"', 'username');
  }
  checkPasswordRules(input.password, username);
  return db.transaction().execute(async (trx) => {
    const groups = await trx
      .selectFrom('access_groups')
      .select(['id', 'code', 'title'])
      .where((eb) => eb.or([eb('code', 'in', input.groups), eb('title', 'in', input.groups)]))
      .execute();
    const missing = input.groups.filter((g) => !groups.some((row) => row.code === g || row.title === g));
    if (missing.length > 0) throw new AppError('validation_failed', `unknown group: ${missing.join(', ')}`, 'group');
    let branch: { id: number; province_id: number } | undefined;
    if (input.branchCode) {
      branch = await trx.selectFrom('branches').select(['id', 'province_id']).where('code', '=', input.branchCode).executeTakeFirst();
      if (!branch) throw new AppError('validation_failed', `unknown branch: ${input.branchCode}`, 'branch');
    }
    const taken = await trx.selectFrom('users').select('id').where(sql`lower(username)`, '=', username.toLowerCase()).executeTakeFirst();
    if (taken) throw new AppError('conflict', `username ${username} is taken`, 'username');
    const user = await trx
      .insertInto('users')
      .values({
        username,
        password_hash: await hashPassword(input.password),
        first_name: username,
        last_name: '',
        user_type: 'full_time',
        gender: null,
        branch_id: branch?.id ?? null,
        province_id: branch?.province_id ?? null,
        personnel_code: null,
        national_code: null,
        birth_cert_no: null,
        phones: null,
        mobile: null,
        email: null,
        address: null,
        photo_file_id: null,
      })
      .returning(['id', 'username'])
      .executeTakeFirstOrThrow();
    await trx.insertInto('user_groups').values(groups.map((g) => ({ user_id: user.id, group_id: g.id }))).execute();
    await recordAudit(trx, { system: 'cli' }, {
      entity: 'user',
      entityId: user.id,
      action: 'create',
      after: { username, groups: groups.map((g) => g.code ?? g.title), branch: input.branchCode ?? null },
    });
    return user;
  });
}
