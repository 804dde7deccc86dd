import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    globalSetup: [
      // Builds the personal tab into dist/tab, which the server serves and the browser tests load.
      'test/tab/global-setup.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
