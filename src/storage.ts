import type { Config } from './config.ts';
import type { Logger } from './log.ts';
import { type Jobs, startJobs } from './queue/boss.ts';
import { recordStart } from './store/app-meta.ts';
import { type Db, openDb } from './store/db.ts';
import { type Keyring, resolveKeyring } from './store/keyring.ts';
import { loadMigrations, migrate } from './store/migrate.ts';

/** The database, its keyring and pg-boss: up some time after the HTTP server already answers. */
export interface Storage {
  db: Db;
  jobs: Jobs;
  keyring: Keyring;
}

export async function startStorage(config: Config, log: Logger): Promise<Storage> {
  const keyring = await resolveKeyring(config.tokenEncryptionKeys, config.dataDir, log);
  const db = await openDb(config);
  try {
    const report = await migrate(db, await loadMigrations());
    if (report.applied.length > 0) {
      log.info({ from: report.from, to: report.to }, 'database schema upgraded');
    }
    const facts = await recordStart(db, keyring.current.id);
    if (facts.previousKeyId && !keyring.find(facts.previousKeyId)) {
      log.warn(
        { previousKeyId: facts.previousKeyId, keyId: keyring.current.id },
        'the encryption key used before this start is not in TOKEN_ENCRYPTION_KEY(S): credentials sealed with it cannot be read, and their users will be asked to reconnect',
      );
    }
    const jobs = await startJobs(db, log);
    log.info({ store: db.kind, schema: report.to }, 'storage and background workers ready');
    return { db, jobs, keyring };
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
}

export async function stopStorage(storage: Storage): Promise<void> {
  try {
    await storage.jobs.stop();
  } finally {
    await storage.db.close();
  }
}
