import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import type { Database } from '../db/database.js';
import { SETTING_DEFAULTS } from '../settings.js';
import type { AuthUser, RequestContext, RouteAccess } from './context.js';
import { ipMatchesRule } from './ip-rule.js';
import { deleteSession, findSessionUser, touchSession } from './sessions.repository.js';

export const SESSION_COOKIE = 'vosul_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Every request passes here before its body is read: the route's declared access is enforced, the
 * session resolved (idle expiry, the branch IP rule) and, for writes, the CSRF header checked.
 * A route without a declaration is refused, so forgetting one fails closed.
 */
export function registerAccessGuard(app: FastifyInstance, db: Database): void {
  app.decorateRequest('user', null);
  app.decorateRequest('sessionTokenHash', null);
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access;
    if (!request.routeOptions.url) return; // 404 handler
    if (!access) throw new AppError('internal', 'route declares no access rule');
    if ('public' in access) return;
    const user = await resolveSessionUser(request, db);
    if (!user) throw new AppError('unauthenticated', 'ابتدا وارد سامانه شوید');
    if (!SAFE_METHODS.has(request.method)) checkCsrf(request);
    if (!allows(access, user)) throw new AppError('forbidden', 'دسترسی به این بخش برای شما مجاز نیست');
  });
}

const csrfBySession = new WeakMap<FastifyRequest, string>();

async function resolveSessionUser(request: FastifyRequest, db: Database): Promise<AuthUser | null> {
  const token = request.cookies[SESSION_COOKIE];
  if (!token) return null;
  const tokenHash = hashToken(token);
  const found = await findSessionUser(db, tokenHash, SETTING_DEFAULTS.session_idle_minutes);
  if (!found) return null;
  if (found.expired) {
    await deleteSession(db, tokenHash);
    return null;
  }
  const { user, ipRule } = found;
  if (ipRule && !ipMatchesRule(request.ip, ipRule)) {
    throw new AppError('forbidden', 'ورود از این نشانی IP برای کاربران این شعبه مجاز نیست');
  }
  if (found.needsTouch) await touchSession(db, tokenHash);
  request.user = user;
  request.sessionTokenHash = tokenHash;
  csrfBySession.set(request, found.csrfToken);
  return user;
}

function checkCsrf(request: FastifyRequest): void {
  const expected = csrfBySession.get(request) ?? '';
  const sent = request.headers['x-csrf-token'];
  const given = typeof sent === 'string' ? sent : '';
  const ok =
    expected.length > 0 &&
    given.length === expected.length &&
    timingSafeEqual(Buffer.from(given), Buffer.from(expected));
  if (!ok)
    throw new AppError(
      'csrf_failed',
      'نشانه امنیتی درخواست (CSRF) نامعتبر است؛ صفحه را دوباره بارگذاری کنید',
    );
}

function allows(access: RouteAccess, user: AuthUser): boolean {
  if ('authenticated' in access) return true;
  if ('public' in access) return true;
  const pages: readonly string[] = typeof access.page === 'string' ? [access.page] : access.page;
  return pages.some((p) => user.pages.has(p as never));
}

/** The context a service needs, from an authenticated request. */
export function contextOf(request: FastifyRequest): RequestContext {
  if (!request.user) throw new AppError('unauthenticated', 'ابتدا وارد سامانه شوید');
  return { user: request.user, ip: request.ip, requestId: String(request.id) };
}

/** What only HQ may do (shared definitions: catalogs, groups, provinces, settings, recordings). */
export function requireHq(ctx: RequestContext, message: string): void {
  if (ctx.user.scope.kind !== 'hq') throw new AppError('forbidden', message);
}

/** The usual refusal of `requireHq`: the action, then that only HQ users may do it. */
export const hqOnly = (action: string) => `${action} فقط برای کاربران ستاد مجاز است`;
