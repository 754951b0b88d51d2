import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: { '@atalaya/api': fileURLToPath(new URL('./server/api/index.ts', import.meta.url)) },
  },
  test: {
    include: ['tests/**/*.test.ts'],
    // Integration files share one embedded PostGIS per worker (see tests/helpers/test_database.ts).
    pool: 'forks',
    isolate: false,
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    globalSetup: ['tests/helpers/global_setup.ts'],
  },
});
