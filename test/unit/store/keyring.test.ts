import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createKeyring, keyId, resolveKeyring } from '../../../src/store/keyring.ts';
import { captureLog } from '../../support/log.ts';

describe('resolveKeyring', () => {
  it('uses TOKEN_ENCRYPTION_KEY when given and writes nothing', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'key-'));
    const key = randomBytes(32);
    const { log, lines } = captureLog();
    const resolved = await resolveKeyring([{ label: 'k1', key }], dir, log);
    expect(resolved.current).toEqual({ key, id: keyId(key), label: 'k1' });
    expect(resolved.source).toBe('environment');
    await expect(stat(path.join(dir, 'token-encryption.key'))).rejects.toThrow();
    expect(lines()).toEqual([]);
  });

  it('generates a key file readable only by the owner, warns, and reuses it next time', async () => {
    const dir = path.join(await mkdtemp(path.join(tmpdir(), 'key-')), 'nested', 'data');
    const { log, lines } = captureLog();
    const first = await resolveKeyring([], dir, log);
    expect(first.source).toBe('generated');
    expect(first.current.key).toHaveLength(32);
    const file = path.join(dir, 'token-encryption.key');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(lines().map((l) => l.msg)).toEqual([
      expect.stringContaining('TOKEN_ENCRYPTION_KEY is not set'),
    ]);
    // The key itself never reaches the log.
    expect(JSON.stringify(lines())).not.toContain(first.current.key.toString('base64'));

    const second = await resolveKeyring([], dir, log);
    expect(second.source).toBe('file');
    expect(second.current.key.equals(first.current.key)).toBe(true);
    expect(second.current.id).toBe(first.current.id);
  });

  it('refuses a key file that does not hold 32 bytes', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'key-'));
    await writeFile(path.join(dir, 'token-encryption.key'), 'c2hvcnQ=\n');
    await expect(resolveKeyring([], dir, captureLog().log)).rejects.toThrow(
      /does not hold a base64 32-byte key/,
    );
    expect(await readFile(path.join(dir, 'token-encryption.key'), 'utf8')).toBe('c2hvcnQ=\n');
  });

  it('derives a stable id that does not reveal the key', () => {
    const key = randomBytes(32);
    expect(keyId(key)).toBe(keyId(Buffer.from(key)));
    expect(keyId(key)).toMatch(/^[0-9a-f]{12}$/);
    expect(keyId(key)).not.toBe(keyId(randomBytes(32)));
  });

  it('keeps the newest key current, finds older ones by fingerprint, and merges duplicates', () => {
    const [newer, older] = [randomBytes(32), randomBytes(32)];
    const ring = createKeyring([
      { label: 'new', key: newer },
      { label: 'old', key: older },
      { label: 'TOKEN_ENCRYPTION_KEY', key: Buffer.from(older) },
    ]);
    expect(ring.current.label).toBe('new');
    expect(ring.entries.map((e) => e.label)).toEqual(['new', 'old']);
    expect(ring.find(keyId(older))?.label).toBe('old');
    expect(ring.find('000000000000')).toBeUndefined();
  });
});
