import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    globalSetup: [
      // Builds the personal tab into dist/tab, which the server serves and the browser tests load.
      'test/tab/global-setup.ts',
      // Starts a throwaway PostgreSQL cluster for the store tests (PG_TESTS=off: SQLite only).
      'test/support/postgres.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
