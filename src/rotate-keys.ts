/**
 * `npm run rotate-keys`: re-seals every stored credential under the newest key in
 * TOKEN_ENCRYPTION_KEYS, so older keys can then be removed. Safe to run while the bot runs:
 * each row is rewritten on its own, and the bot re-seals on use anyway.
 */
import { loadStorageConfig } from './config.ts';
import { createLogger } from './log.ts';
import { createCredentialStore } from './store/credentials.ts';
import { openDb } from './store/db.ts';
import { resolveKeyring } from './store/keyring.ts';
import { loadMigrations, migrate } from './store/migrate.ts';

const loaded = loadStorageConfig(process.env);
if (!loaded.ok) {
  process.stderr.write(
    `rotate-keys cannot start; fix these environment variables:\n${loaded.problems.map((p) => `  - ${p}`).join('\n')}\n`,
  );
  process.exit(78);
}
const { config } = loaded;
const log = createLogger({ level: config.logLevel });
const keyring = await resolveKeyring(config.tokenEncryptionKeys, config.dataDir, log);
const db = await openDb(config);
try {
  await migrate(db, await loadMigrations());
  const result = await createCredentialStore(db, keyring, log).rotateAll();
  const older = keyring.entries.slice(1).map((e) => e.label);
  process.stdout.write(
    `Re-sealed ${result.resealed} credential(s) under "${keyring.current.label}" (${keyring.current.id}); ${result.current} now use it.\n` +
      (result.unreadable > 0
        ? `${result.unreadable} credential(s) could not be opened with any key in the ring; their users will be asked to reconnect.\n`
        : '') +
      (older.length > 0
        ? `No credential needs ${older.map((l) => `"${l}"`).join(', ')} any more; you can remove it from TOKEN_ENCRYPTION_KEYS.\n`
        : ''),
  );
} finally {
  await db.close();
}
