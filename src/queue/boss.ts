import { PgBoss } from 'pg-boss';
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';

export interface Jobs {
  readonly boss: PgBoss;
  /** True from a successful start until stop begins. */
  readonly running: boolean;
  stop(): Promise<void>;
}

/**
 * How often pg-boss looks for jobs whose worker stopped heartbeating (a replica killed
 * mid-run) or that expired, and retries them; its default is 60 s.
 */
export const MONITOR_SECONDS = 15;

/**
 * pg-boss on the bot's own database: the embedded database's adapter (its worker thread, or
 * PGlite's single connection in tests) when embedded, its own small pool on PostgreSQL (where
 * replicas share the queue).
 */
export async function startJobs(db: Db, log: Logger, stopTimeoutMs = 10_000): Promise<Jobs> {
  const monitor = {
    superviseIntervalSeconds: MONITOR_SECONDS,
    monitorIntervalSeconds: MONITOR_SECONDS,
  };
  const boss = db.jobsDb
    ? new PgBoss({ db: db.jobsDb, backend: 'pglite', ...monitor })
    : new PgBoss({ connectionString: db.url ?? '', max: 4, ...monitor });
  const jobsLog = log.child({ component: 'jobs' });
  boss.on('error', (err) => jobsLog.error({ err }, 'background job system error'));
  boss.on('warning', (warning) => jobsLog.warn({ warning }, 'background job system warning'));
  await boss.start();
  let running = true;
  return {
    boss,
    get running() {
      return running;
    },
    async stop() {
      running = false;
      // graceful: lets handlers that are mid-job finish; close: false when the Db owns PGlite.
      await boss.stop({ graceful: true, timeout: stopTimeoutMs, close: !db.jobsDb });
    },
  };
}
