import { describe, expect, it } from 'vitest';
import { factory, logIn, setupTestApp } from './harness.js';

const { app, db } = await setupTestApp();

/**
 * The routes open to anyone; every other /api route needs a session and (mostly) a page. The PBX
 * fetches a recording without a session, by the hash of its content (audio-files.test.ts).
 */
const PUBLIC_ROUTES = new Set([
  'GET /api/health',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/logout',
  'GET /api/v1/pbx-media/1',
]);

function allRoutes(): { method: string; url: string }[] {
  const spec = app.swagger() as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(spec.paths).flatMap(([p, methods]) =>
    Object.keys(methods).map((m) => ({ method: m.toUpperCase(), url: p.replace(/\{[^}]+\}/g, '1') })),
  );
}

describe('every route declares its access', () => {
  it('documents the API routes in OpenAPI', () => {
    expect(allRoutes().length).toBeGreaterThan(3);
  });

  it('refuses an anonymous caller on every non-public route (401, never 500 for a missing declaration)', async () => {
    for (const route of allRoutes()) {
      const key = `${route.method} ${route.url}`;
      if (PUBLIC_ROUTES.has(key) || !route.url.startsWith('/api/')) continue;
      const res = await app.inject({ method: route.method as 'GET', url: route.url });
      expect({ key, status: res.statusCode }).toEqual({ key, status: 401 });
    }
  });

  it('refuses a signed-in user whose groups lack the page (403) on page-guarded routes', async () => {
    // a group of no pages at all (every predefined group has some)
    await db.insertInto('access_groups').values({ code: 'no_pages', title: 'بدون صفحه' }).execute();
    await factory.user(db, { username: 'pageless', group: 'no_pages' });
    const s = await logIn(app, 'pageless', 'password-1234');
    // the home page is every signed-in user's: its dashboard, announcements and their files (scoped)
    const selfService = /^\/api\/v1\/(auth\/|dashboard$|announcements\/(current|1\/file)$)/;
    for (const route of allRoutes()) {
      const key = `${route.method} ${route.url}`;
      if (PUBLIC_ROUTES.has(key) || selfService.test(route.url) || !route.url.startsWith('/api/v1/'))
        continue;
      const res = await (route.method === 'GET'
        ? s.get(route.url)
        : app.inject({
            method: route.method as 'POST',
            url: route.url,
            headers: { cookie: s.cookie, 'x-csrf-token': s.csrf },
          }));
      expect({ key, status: res.statusCode }).toEqual({ key, status: 403 });
    }
  });
});
