/**
 * What the browser tests need to know about the server under test. `playwright.config.ts` fills these
 * environment variables once in the runner process (the test workers inherit them), and
 * `global-setup.ts` starts a fresh server with exactly these values.
 *
 * To run the suite against a server you started yourself, set VOSUL_E2E_BASE_URL (and
 * VOSUL_E2E_ADMIN_PASSWORD to its administrator's password): no server is started then.
 */

/** The administrator created on first start (interchange.md). */
export const ADMIN_USERNAME = 'admin';

/** The administrator password the harness gives a fresh server (VOSUL_ADMIN_PASSWORD). */
export const DEFAULT_ADMIN_PASSWORD = 'E2e-Admin-Pass-1403';

/** Debian's Chromium (apt `chromium`); Playwright's own browser downloads are never used. */
export const CHROMIUM_PATH = process.env.VOSUL_E2E_CHROMIUM ?? '/usr/bin/chromium';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the suite through playwright.config.ts`);
  return value;
}

/** The server under test, e.g. `http://127.0.0.1:41234` (no trailing slash). */
export function baseURL(): string {
  return required('VOSUL_E2E_BASE_URL');
}

export function adminPassword(): string {
  return process.env.VOSUL_E2E_ADMIN_PASSWORD ?? DEFAULT_ADMIN_PASSWORD;
}

/** True when the harness starts (and stops) the server itself. */
export function harnessStartsServer(): boolean {
  return process.env.VOSUL_E2E_START_SERVER === '1';
}
