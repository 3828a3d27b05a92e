import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCredentialStore } from '../../src/store/credentials.ts';
import { openPglite } from '../../src/store/db.ts';
import { createKeyring, keyId } from '../../src/store/keyring.ts';
import { loadMigrations, migrate } from '../../src/store/migrate.ts';
import { captureLog } from '../support/log.ts';
import { ROOT } from '../support/process.ts';

function runRotateKeys(env: Record<string, string>) {
  const child = spawn(process.execPath, ['src/rotate-keys.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => {
    out += String(d);
  });
  child.stderr.on('data', (d) => {
    err += String(d);
  });
  return new Promise<{ code: number | null; out: string; err: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, out, err })),
  );
}

describe('npm run rotate-keys', () => {
  it('re-seals every row under the newest key so the old one can go', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'rotate-'));
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const db = await openPglite(path.join(dataDir, 'pglite'));
    await migrate(db, await loadMigrations());
    const before = createCredentialStore(
      db,
      createKeyring([{ label: 'old', key: oldKey }]),
      captureLog().log,
    );
    await before.save({ tenantId: 'T1', userId: 'U1' }, 'alation', { refreshToken: 'a' }, {});
    await before.save({ tenantId: 'T1', userId: 'U2' }, 'alation', { refreshToken: 'b' }, {});
    await before.save({ tenantId: 'T1', userId: 'U1' }, 'mode', { token: 't', secret: 's' }, {});
    await db.close();

    const result = await runRotateKeys({
      DATA_DIR: dataDir,
      TOKEN_ENCRYPTION_KEYS: `k2026:${newKey.toString('base64')},k2025:${oldKey.toString('base64')}`,
    });
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toContain('Re-sealed 3 credential(s) under "k2026"');
    expect(result.out).toContain('you can remove it from TOKEN_ENCRYPTION_KEYS');

    const after = await openPglite(path.join(dataDir, 'pglite'));
    const ids = await after.query<{ key_id: string; n: number }>(
      'SELECT key_id, count(*)::int AS n FROM credentials GROUP BY key_id',
    );
    expect(ids).toEqual([{ key_id: keyId(newKey), n: 3 }]);
    const newOnly = createCredentialStore(
      after,
      createKeyring([{ label: 'new', key: newKey }]),
      captureLog().log,
    );
    expect(await newOnly.load({ tenantId: 'T1', userId: 'U2' }, 'alation')).toMatchObject({
      state: 'connected',
      secret: { refreshToken: 'b' },
    });
    await after.close();
  });

  it('needs no Slack variables, and names a bad key variable clearly', async () => {
    const result = await runRotateKeys({
      DATA_DIR: await mkdtemp(path.join(tmpdir(), 'rotate-')),
      TOKEN_ENCRYPTION_KEYS: 'k1:tooshort',
    });
    expect(result.code).not.toBe(0);
    expect(result.err).toContain('TOKEN_ENCRYPTION_KEYS entry 1 must look like label:<base64');
    expect(result.err).not.toContain('SLACK_');
  });
});
