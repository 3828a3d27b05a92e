import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Storage suites spin up PGlite (WASM Postgres), and process tests launch the bot more than
    // once; on a busy two-core machine either can take tens of seconds.
    testTimeout: 90_000,
    hookTimeout: 60_000,
    // Two cores: keep file-level parallelism modest so PGlite and PostgreSQL suites don't starve.
    maxWorkers: 2,
  },
});
