import { createHmac, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';

const KEY_FILE = 'token-encryption.key';

export interface ResolvedKey {
  key: Buffer;
  /** Short, non-secret fingerprint recorded beside what the key seals. */
  id: string;
  source: 'environment' | 'file' | 'generated';
}

export function keyId(key: Buffer): string {
  return createHmac('sha256', key).update('alation-slack-bot key id').digest('hex').slice(0, 12);
}

/**
 * The key from TOKEN_ENCRYPTION_KEY, or (outside production; config refuses it there) one kept in
 * DATA_DIR so that a developer's `npm start` works without ceremony and survives restarts.
 */
export async function resolveEncryptionKey(
  fromEnv: Buffer | undefined,
  dataDir: string,
  log: Logger,
): Promise<ResolvedKey> {
  if (fromEnv) return { key: fromEnv, id: keyId(fromEnv), source: 'environment' };
  const file = path.join(dataDir, KEY_FILE);
  const existing = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
  if (existing !== undefined) {
    const key = Buffer.from(existing.trim(), 'base64');
    if (key.length !== 32) {
      throw new Error(
        `${file} does not hold a base64 32-byte key; delete it or set TOKEN_ENCRYPTION_KEY`,
      );
    }
    return { key, id: keyId(key), source: 'file' };
  }
  const key = randomBytes(32);
  await mkdir(dataDir, { recursive: true });
  // 'wx': if another process won the race, fail rather than overwrite its key.
  await writeFile(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  log.warn(
    { file },
    'TOKEN_ENCRYPTION_KEY is not set: generated a key in DATA_DIR. Set TOKEN_ENCRYPTION_KEY in production, and share it between replicas.',
  );
  return { key, id: keyId(key), source: 'generated' };
}
