import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      { extends: false, test: { name: 'common', include: ['common/src/**/*.test.ts'] } },
      { extends: false, test: { name: 'web', include: ['web/src/**/*.test.ts'] } },
      {
        test: {
          name: 'server',
          include: ['server/src/**/*.test.ts', 'server/test/**/*.test.ts'],
          globalSetup: ['server/test/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
    ],
  },
});
