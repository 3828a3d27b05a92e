import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Storage suites spin up PGlite (WASM Postgres); the first boot of a fresh data dir is slow.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: keep file-level parallelism modest so PGlite and PostgreSQL suites don't starve.
    maxWorkers: 2,
  },
});
