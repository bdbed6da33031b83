import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Scope } from './auth/context.js';

/**
 * The data-scope filter every query of branch-owned records applies: `column` holds a branch id.
 * HQ sees all; a province user the branches of its province; a branch user its branch and sub-branches.
 */
export function branchInScope(scope: Scope, column: Expression<number | null>): Expression<SqlBool> {
  switch (scope.kind) {
    case 'hq':
      return sql<SqlBool>`true`;
    case 'province':
      return sql<SqlBool>`${column} in (select id from branches where province_id = ${scope.provinceId})`;
    case 'branch':
      return sql<SqlBool>`${column} = any(${sql.val([...scope.branchIds])}::int[])`;
  }
}

/** The same for records that hold a province id (a branch user sees only its own province). */
export function provinceInScope(scope: Scope, column: Expression<number | null>): Expression<SqlBool> {
  return scope.kind === 'hq' ? sql<SqlBool>`true` : sql<SqlBool>`${column} = ${scope.provinceId}`;
}

/**
 * The data-scope filter for records about people's own actions (audit trail, login report): `column`
 * holds a user id. HQ sees all; a province user the users of its province (its own and its branches');
 * a branch user the users of its branch and sub-branches. A null user (the system, an unknown
 * username) is HQ's only.
 */
export function userInScope(scope: Scope, column: Expression<number | null>): Expression<SqlBool> {
  switch (scope.kind) {
    case 'hq':
      return sql<SqlBool>`true`;
    case 'province':
      return sql<SqlBool>`${column} in (
        select u.id from users u
        where u.province_id = ${scope.provinceId}
           or u.branch_id in (select b.id from branches b where b.province_id = ${scope.provinceId}))`;
    case 'branch':
      return sql<SqlBool>`${column} in (select u.id from users u where u.branch_id = any(${sql.val([...scope.branchIds])}::int[]))`;
  }
}

export type AnyEB = ExpressionBuilder<never, never>;
