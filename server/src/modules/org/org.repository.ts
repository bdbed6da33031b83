import { sql } from 'kysely';
import { likePattern, type ListQuery } from '@vosul/common';
import type { Executor } from '../../platform/db/database.js';
import type { Scope } from '../../platform/auth/context.js';
import { branchInScope, provinceInScope } from '../../platform/scope.js';
import { fetchPage } from '../../platform/listing.js';

// ---- provinces -------------------------------------------------------------------------------

function provincesQuery(db: Executor, scope: Scope, q: string | undefined) {
  let query = db
    .selectFrom('provinces as p')
    .select([
      'p.id',
      'p.code',
      'p.name',
      'p.version',
      sql<number>`(select count(*)::int from branches b where b.province_id = p.id)`.as('branch_count'),
    ])
    .where(provinceInScope(scope, sql.ref('p.id')));
  if (q)
    query = query.where((eb) =>
      eb.or([eb('p.code', 'ilike', likePattern(q)), eb('p.name', 'ilike', likePattern(q))]),
    );
  return query;
}

const PROVINCE_SORT = { code: 'p.code', name: 'p.name', id: 'p.id' };

export function findProvincesPage(db: Executor, scope: Scope, list: ListQuery) {
  return fetchPage(provincesQuery(db, scope, list.q), list, PROVINCE_SORT, 'code', 'p.id');
}

export function findAllProvinces(db: Executor, scope: Scope, q: string | undefined) {
  return provincesQuery(db, scope, q).orderBy('p.code').execute();
}

export function findProvince(db: Executor, scope: Scope, id: number) {
  return provincesQuery(db, scope, undefined).where('p.id', '=', id).executeTakeFirst();
}

export function insertProvince(db: Executor, values: { code: string; name: string }) {
  return db.insertInto('provinces').values(values).returning('id').executeTakeFirstOrThrow();
}

/** Applies the change only if nobody saved since `version`; undefined means stale (or gone). */
export function updateProvince(
  db: Executor,
  id: number,
  version: number,
  values: { code?: string; name?: string },
) {
  return db
    .updateTable('provinces')
    .set({ ...values, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', id)
    .where('version', '=', version)
    .returning('id')
    .executeTakeFirst();
}

export function findProvinceUsage(db: Executor, ids: number[]) {
  return db
    .selectFrom('provinces as p')
    .select([
      'p.id',
      'p.code',
      sql<number>`(select count(*)::int from branches b where b.province_id = p.id)`.as('branches'),
      sql<number>`(select count(*)::int from users u where u.province_id = p.id)`.as('users'),
    ])
    .where('p.id', 'in', ids)
    .execute();
}

export function deleteProvinces(db: Executor, ids: number[]) {
  return db.deleteFrom('provinces').where('id', 'in', ids).returningAll().execute();
}

// ---- branches --------------------------------------------------------------------------------

function branchesQuery(db: Executor, scope: Scope) {
  return db
    .selectFrom('branches as b')
    .innerJoin('provinces as p', 'p.id', 'b.province_id')
    .leftJoin('branches as parent', 'parent.id', 'b.parent_id')
    .select([
      'b.id',
      'b.code',
      'b.name',
      'b.province_id',
      'p.code as province_code',
      'p.name as province_name',
      'b.parent_id',
      'parent.code as parent_code',
      'parent.name as parent_name',
      'b.address',
      'b.ip',
      'b.version',
    ])
    .where(branchInScope(scope, sql.ref('b.id')));
}

function filteredBranches(
  db: Executor,
  scope: Scope,
  filter: { q?: string | undefined; province_id?: number | undefined },
) {
  let query = branchesQuery(db, scope);
  if (filter.q) {
    const pattern = likePattern(filter.q);
    query = query.where((eb) => eb.or([eb('b.code', 'ilike', pattern), eb('b.name', 'ilike', pattern)]));
  }
  if (filter.province_id) query = query.where('b.province_id', '=', filter.province_id);
  return query;
}

const BRANCH_SORT = {
  code: 'b.code',
  name: 'b.name',
  province_code: 'p.code',
  province_name: 'p.name',
  parent_code: 'parent.code',
  ip: 'b.ip',
  id: 'b.id',
};

export function findBranchesPage(
  db: Executor,
  scope: Scope,
  list: ListQuery & { province_id?: number | undefined },
) {
  return fetchPage(filteredBranches(db, scope, list), list, BRANCH_SORT, 'code', 'b.id');
}

export function findAllBranches(
  db: Executor,
  scope: Scope,
  filter: { q?: string | undefined; province_id?: number | undefined },
) {
  return filteredBranches(db, scope, filter).orderBy('b.code').execute();
}

export function findBranch(db: Executor, scope: Scope, id: number) {
  return branchesQuery(db, scope).where('b.id', '=', id).executeTakeFirst();
}

export function findBranchRow(db: Executor, id: number) {
  return db.selectFrom('branches').selectAll().where('id', '=', id).executeTakeFirst();
}

/** True when `candidateParent` is `branchId` itself or one of its descendants (a cycle). */
export async function wouldCreateCycle(
  db: Executor,
  branchId: number,
  candidateParent: number,
): Promise<boolean> {
  const row = await sql<{ hit: boolean }>`
    with recursive tree as (
      select id from branches where id = ${branchId}
      union all select c.id from branches c join tree on c.parent_id = tree.id)
    select exists(select 1 from tree where id = ${candidateParent}) as hit`.execute(db);
  return row.rows[0]?.hit ?? false;
}

type BranchValues = {
  code: string;
  name: string;
  province_id: number;
  parent_id: number | null;
  address: string | null;
  ip: string | null;
};

export function insertBranch(db: Executor, values: BranchValues) {
  return db.insertInto('branches').values(values).returning('id').executeTakeFirstOrThrow();
}

export function updateBranch(db: Executor, id: number, version: number, values: Partial<BranchValues>) {
  return db
    .updateTable('branches')
    .set({ ...values, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', id)
    .where('version', '=', version)
    .returning('id')
    .executeTakeFirst();
}

/** What still uses each branch; later issues add their tables (customers, facilities, …) here. */
export function findBranchUsage(db: Executor, ids: number[]) {
  return db
    .selectFrom('branches as b')
    .select([
      'b.id',
      'b.code',
      sql<number>`(select count(*)::int from users u where u.branch_id = b.id)`.as('users'),
      sql<number>`(select count(*)::int from branches c where c.parent_id = b.id and not (c.id = any(${sql.val(ids)}::int[])))`.as(
        'sub_branches',
      ),
    ])
    .where('b.id', 'in', ids)
    .execute();
}

export function deleteBranches(db: Executor, ids: number[]) {
  // Children first: a selected parent and its selected sub-branches go together.
  return db.deleteFrom('branches').where('id', 'in', ids).returningAll().execute();
}
