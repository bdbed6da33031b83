import net from 'node:net';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_PATH, baseURL } from './support/env.js';

/** A port nobody listens on now, for the server under test. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

// Decided once in the runner process; the workers load this file again and inherit the values.
if (!process.env.VOSUL_E2E_START_SERVER) {
  process.env.VOSUL_E2E_START_SERVER = process.env.VOSUL_E2E_BASE_URL ? '0' : '1';
}
process.env.VOSUL_E2E_BASE_URL ??= `http://127.0.0.1:${await freePort()}`;
process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1';

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  globalSetup: './global-setup.ts',
  // Every test shares one server and database: create uniquely named data, never rely on a clean slate.
  // One at a time: a snapshot import closes the facilities it does not list, so specs that import
  // must not interleave with one another.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: 'list',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: baseURL(),
    browserName: 'chromium',
    locale: 'fa-IR',
    timezoneId: 'Asia/Tehran',
    viewport: { width: 1366, height: 800 },
    navigationTimeout: 20_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
});
