import { createApp } from './app.ts';
import type { Config } from './config.ts';
import { lowerThreadpoolPriority } from './cpu/priority.ts';
import { startEventLoopMonitor } from './event-loop.ts';
import { createFeatures, type Features } from './features.ts';
import { createInFlight } from './inflight.ts';
import type { Logger } from './log.ts';
import { startWorkers } from './queue/workers.ts';
import type { Readiness, ReadinessReport } from './readiness.ts';
import { type Storage, startStorage, stopStorage } from './storage.ts';

/** How long shutdown waits for work that was acked but has not finished (a CSV upload, say). */
const DRAIN_TIMEOUT_MS = 20_000;

/** libuv's threadpool runs at this nice value (Linux), below the event loop. */
const THREADPOOL_NICENESS = 10;

export interface Running {
  port: number;
  /** Resolves once storage and workers are up (the HTTP server answers before that). */
  ready: Promise<void>;
  shutdown(reason: string): Promise<void>;
}

/**
 * Starts the bot. The HTTP server comes first so `/healthz` answers within moments of launch;
 * storage (a fresh embedded database takes a few seconds) and workers follow, and `/readyz`
 * reports 503 until they are up.
 */
export async function run(config: Config, log: Logger): Promise<Running> {
  const eventLoop = startEventLoopMonitor({ log });
  // Spooling results to disk runs on libuv's threads; they give way to the event loop (acks).
  void lowerThreadpoolPriority(THREADPOOL_NICENESS);
  const inFlight = createInFlight();
  let storage: Storage | undefined;
  let stopping = false;
  const readiness: Readiness = {
    async check(): Promise<ReadinessReport> {
      const report = await checkStorage();
      return { ...report, eventLoop: eventLoop.report() };
    },
  };
  async function checkStorage(): Promise<ReadinessReport> {
    if (stopping) return { ready: false, checks: { process: 'shutting down' } };
    if (!storage) return { ready: false, checks: { database: 'starting', workers: 'starting' } };
    const database = await storage.db.query('SELECT 1').then(
      () => 'ok',
      (e: unknown) => `unreachable: ${e instanceof Error ? e.message : String(e)}`,
    );
    const workers = storage.jobs.running ? 'ok' : 'stopped';
    return { ready: database === 'ok' && workers === 'ok', checks: { database, workers } };
  }
  let resolveFeatures: (f: Features) => void = () => {};
  const featuresReady = new Promise<Features>((resolve) => {
    resolveFeatures = resolve;
  });
  const bot = createApp({ config, log, readiness, inFlight, features: () => featuresReady });
  const port = await bot.start();
  eventLoop.listening();
  log.info(
    { port, mode: config.slack.appToken ? 'socket' : 'http' },
    'alation-slack-bot is listening',
  );

  let features: Features | undefined;
  const storageStarting = startStorage(config, log).then(async (s) => {
    storage = s;
    const boss = s.jobs.boss;
    const ready = createFeatures({
      config,
      db: s.db,
      keyring: s.keyring,
      log,
      boss,
      flagRequestTimes: config.flagRequests,
    });
    features = ready;
    await startWorkers(boss, ready, bot.clients, log);
    resolveFeatures(ready);
    // On a pool thread at low priority, after ready: the first share then has no library load to wait for.
    void ready.charts.warm();
  });

  return {
    port,
    ready: storageStarting,
    async shutdown(reason) {
      if (stopping) return;
      stopping = true;
      log.info({ reason }, 'shutting down: no new requests');
      await bot.stop().catch((err: unknown) => log.warn({ err }, 'stopping the receiver failed'));
      if (!(await inFlight.drain(DRAIN_TIMEOUT_MS))) {
        log.warn({ unfinished: inFlight.count }, 'gave up waiting for in-flight work');
      }
      await storageStarting.catch(() => {});
      await features?.close();
      if (storage) await stopStorage(storage);
      eventLoop.stop();
      log.info('shut down cleanly');
    },
  };
}
