import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SlackEmulator, startSlackEmulator } from '../emulators/slack.ts';
import { freePort, spawnBot, waitForStatus } from '../support/process.ts';

let slack: SlackEmulator;
beforeAll(async () => {
  slack = await startSlackEmulator();
});
afterAll(() => slack.close());

const baseEnv = () => ({
  SLACK_BOT_TOKEN: slack.botToken,
  SLACK_SIGNING_SECRET: 'process-test-secret',
  SLACK_API_URL: slack.apiUrl,
  ALATION_BASE_URL: 'http://127.0.0.1:9',
  LOG_LEVEL: 'info',
});

describe('start-up configuration errors', () => {
  it('prints one clear line per bad variable and exits non-zero, without a stack trace', async () => {
    const { SLACK_SIGNING_SECRET: _omitted, ...env } = baseEnv();
    const bot = spawnBot({ ...env, ALATION_BASE_URL: 'not a url' });
    const { code } = await bot.exited;
    expect(code).not.toBe(0);
    const lines = bot.stderr().trim().split('\n');
    expect(lines).toEqual([
      'alation-slack-bot cannot start; fix these environment variables:',
      expect.stringMatching(/^ {2}- SLACK_SIGNING_SECRET is required/),
      expect.stringMatching(/^ {2}- ALATION_BASE_URL must be an http\(s\) URL .*"not a url"/),
    ]);
    expect(bot.stderr()).not.toMatch(/\n\s+at /);
    expect(bot.stdout()).toBe('');
  });

  it('refuses to start in production without TOKEN_ENCRYPTION_KEY', async () => {
    const bot = spawnBot({ ...baseEnv(), NODE_ENV: 'production' });
    expect((await bot.exited).code).not.toBe(0);
    expect(bot.stderr()).toContain('TOKEN_ENCRYPTION_KEY is required when NODE_ENV=production');
  });
});

describe('running on the embedded store', () => {
  it('serves /healthz, becomes ready, exits 0 on SIGTERM, and keeps its data across restarts', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'bot-data-'));
    const port = await freePort();
    const env = { ...baseEnv(), DATA_DIR: dataDir, PORT: String(port) };
    const origin = `http://127.0.0.1:${port}`;

    const first = spawnBot(env);
    await waitForStatus(`${origin}/healthz`, 200, first);
    await waitForStatus(`${origin}/readyz`, 200, first);
    first.child.kill('SIGTERM');
    expect(await first.exited).toEqual({ code: 0, signal: null });
    expect(first.stdout()).toContain('shut down cleanly');
    const key = await readFile(path.join(dataDir, 'token-encryption.key'), 'utf8');

    // Write something of our own into the stopped bot's database.
    const db = await PGlite.create(path.join(dataDir, 'pglite'));
    const [installed] = (
      await db.query<{ value: string }>(`SELECT value FROM app_meta WHERE key = 'installed_at'`)
    ).rows;
    expect(installed?.value).toBeTruthy();
    await db.query(`INSERT INTO app_meta (key, value) VALUES ('probe', '"kept"')`);
    await db.close();

    const second = spawnBot(env);
    await waitForStatus(`${origin}/readyz`, 200, second);
    second.child.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });
    // Same key, so credentials sealed by the first run stay readable; no "key changed" warning.
    expect(await readFile(path.join(dataDir, 'token-encryption.key'), 'utf8')).toBe(key);
    expect(second.stdout()).not.toContain('TOKEN_ENCRYPTION_KEY changed');
    expect(second.stdout()).not.toContain('generated a key');

    const reopened = await PGlite.create(path.join(dataDir, 'pglite'));
    const rows = (
      await reopened.query<{ key: string; value: string }>(
        `SELECT key, value FROM app_meta WHERE key IN ('installed_at', 'probe') ORDER BY key`,
      )
    ).rows;
    await reopened.close();
    expect(rows).toEqual([
      { key: 'installed_at', value: installed?.value },
      { key: 'probe', value: 'kept' },
    ]);
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)('running on PostgreSQL', () => {
  it('migrates, becomes ready and exits 0 on SIGTERM', async () => {
    const pg = await import('pg');
    const url = process.env.TEST_DATABASE_URL ?? '';
    const schema = `proc_${Date.now().toString(36)}`;
    const admin = new pg.default.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    const scoped = new URL(url);
    scoped.searchParams.set('options', `-c search_path=${schema}`);
    const port = await freePort();
    const bot = spawnBot({
      ...baseEnv(),
      DATABASE_URL: scoped.toString(),
      DATA_DIR: await mkdtemp(path.join(tmpdir(), 'bot-data-')),
      PORT: String(port),
    });
    try {
      await waitForStatus(`http://127.0.0.1:${port}/readyz`, 200, bot);
      bot.child.kill('SIGTERM');
      expect(await bot.exited).toEqual({ code: 0, signal: null });
      const { rows } = await admin.query(`SELECT version FROM ${schema}.schema_migrations`);
      expect(rows.length).toBeGreaterThan(0);
    } finally {
      bot.child.kill('SIGKILL');
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    }
  });
});
