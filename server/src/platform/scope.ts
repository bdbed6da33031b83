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

export type AnyEB = ExpressionBuilder<never, never>;
