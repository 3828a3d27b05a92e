import { createHmac, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../log.ts';

const KEY_FILE = 'token-encryption.key';

export interface KeyEntry {
  /** Fingerprint of the key: what a sealed row records, the same whichever variable held it. */
  id: string;
  /** The operator's name for it (from TOKEN_ENCRYPTION_KEYS), for messages only. */
  label: string;
  key: Buffer;
}

/** The keys that can open stored secrets; `current` seals everything new. */
export interface Keyring {
  current: KeyEntry;
  find(id: string): KeyEntry | undefined;
  readonly entries: readonly KeyEntry[];
  source: 'environment' | 'file' | 'generated';
}

export function keyId(key: Buffer): string {
  return createHmac('sha256', key).update('alation-slack-bot key id').digest('hex').slice(0, 12);
}

export function createKeyring(
  keys: readonly { label: string; key: Buffer }[],
  source: Keyring['source'] = 'environment',
): Keyring {
  const entries: KeyEntry[] = [];
  for (const { label, key } of keys) {
    const id = keyId(key);
    // The same key given twice (say in both variables) is one key.
    if (!entries.some((e) => e.id === id)) entries.push({ id, label, key });
  }
  const current = entries[0];
  if (!current) throw new Error('a keyring needs at least one key');
  const byId = new Map(entries.map((e) => [e.id, e]));
  return { current, find: (id) => byId.get(id), entries, source };
}

/**
 * The keyring from TOKEN_ENCRYPTION_KEYS / TOKEN_ENCRYPTION_KEY, or (outside production; config
 * refuses it there) one key kept in DATA_DIR so a developer's `npm start` works without ceremony
 * and survives restarts.
 */
export async function resolveKeyring(
  fromEnv: readonly { label: string; key: Buffer }[],
  dataDir: string,
  log: Logger,
): Promise<Keyring> {
  if (fromEnv.length > 0) return createKeyring(fromEnv, 'environment');
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
    return createKeyring([{ label: KEY_FILE, key }], 'file');
  }
  const key = randomBytes(32);
  await mkdir(dataDir, { recursive: true });
  // 'wx': if another process won the race, fail rather than overwrite its key.
  await writeFile(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  log.warn(
    { file },
    'TOKEN_ENCRYPTION_KEY is not set: generated a key in DATA_DIR. Set TOKEN_ENCRYPTION_KEY in production, and share it between replicas.',
  );
  return createKeyring([{ label: KEY_FILE, key }], 'generated');
}
