import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Three projects: `unit` (pure libraries, no database: seconds, `npm run test:unit`), `integration`
// (the app over a real database, embedded or TEST_DATABASE_URL) and `browser` (the built client in
// Chromium). `npm test` runs all three.
export default defineConfig({
  resolve: {
    alias: { '@atalaya/api': fileURLToPath(new URL('./server/api/index.ts', import.meta.url)) },
  },
  test: {
    // Integration files share one embedded PostGIS per worker (see tests/helpers/test_database.ts).
    pool: 'forks',
    isolate: false,
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      { extends: true, test: { name: 'integration', include: ['tests/integration/**/*.test.ts'], globalSetup: ['tests/helpers/global_setup.ts'] } },
      // A browser test walks a screen step by step; on a loaded two-core machine several took 40-55 s, so a minute is too tight.
      { extends: true, test: { name: 'browser', include: ['tests/e2e/**/*.test.ts'], globalSetup: ['tests/helpers/global_setup.ts'], testTimeout: 120_000 } },
    ],
  },
});
