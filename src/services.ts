import type { Config } from './config.ts';
import { type Jobs, startJobs } from './jobs/boss.ts';
import type { Logger } from './log.ts';
import { recordStart } from './store/app-meta.ts';
import { type Db, openDb } from './store/db.ts';
import { type ResolvedKey, resolveEncryptionKey } from './store/encryption-key.ts';
import { loadMigrations, migrate } from './store/migrate.ts';

/** Everything that needs storage; ready some time after the HTTP server is already answering. */
export interface Services {
  db: Db;
  jobs: Jobs;
  encryptionKey: ResolvedKey;
}

export async function startServices(config: Config, log: Logger): Promise<Services> {
  const encryptionKey = await resolveEncryptionKey(config.tokenEncryptionKey, config.dataDir, log);
  const db = await openDb(config);
  try {
    const report = await migrate(db, await loadMigrations());
    if (report.applied.length > 0) {
      log.info({ from: report.from, to: report.to }, 'database schema upgraded');
    }
    const facts = await recordStart(db, encryptionKey.id);
    if (facts.previousKeyId) {
      log.warn(
        { previousKeyId: facts.previousKeyId, keyId: encryptionKey.id },
        'TOKEN_ENCRYPTION_KEY changed since the last start: credentials sealed with the old key cannot be read, and their users will be asked to reconnect',
      );
    }
    const jobs = await startJobs(db, log);
    log.info({ store: db.kind, schema: report.to }, 'storage and background workers ready');
    return { db, jobs, encryptionKey };
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
}

export async function stopServices(services: Services): Promise<void> {
  try {
    await services.jobs.stop();
  } finally {
    await services.db.close();
  }
}
