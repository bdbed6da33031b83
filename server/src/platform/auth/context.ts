import type { PageKey } from '@vosul/common';

/** Where a user sits: HQ sees everything, a province user its province, a branch user its branch and sub-branches. */
export type Scope =
  | { kind: 'hq' }
  | { kind: 'province'; provinceId: number }
  | { kind: 'branch'; provinceId: number; branchIds: readonly number[] };

export interface AuthUser {
  id: number;
  username: string;
  firstName: string;
  lastName: string;
  pages: ReadonlySet<PageKey>;
  scope: Scope;
  branchId: number | null;
  provinceId: number | null;
  branchCode: string | null;
  provinceCode: string | null;
}

/** Who does something and from where: passed from routes to services for scope checks and the audit. */
export interface RequestContext {
  user: AuthUser;
  ip: string;
  requestId: string;
}

/** What a route requires: declared on every route (a test walks them all). */
export type RouteAccess = { public: true } | { authenticated: true } | { page: PageKey | readonly PageKey[] };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    user: AuthUser | null;
    sessionTokenHash: string | null;
  }
}
