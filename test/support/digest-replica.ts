// A digest replica in a process of its own, so a test can kill it (SIGKILL) mid-run: the
// production delivery path (features, pg-boss worker with its heartbeats, claims) on a shared
// PostgreSQL schema, a shared pg-boss schema and the test's emulators. Settings come as JSON in
// REPLICA; it prints "ready" once its worker is polling.
import { webApi } from '@slack/bolt';
import { PgBoss } from 'pg-boss';
import { createFeatures } from '../../src/features.ts';
import { createLogger } from '../../src/log.ts';
import { digestWorkerDeps, startDigestWorker } from '../../src/queue/digest-run.ts';
import { openPostgres } from '../../src/store/db.ts';
import { createKeyring } from '../../src/store/keyring.ts';

export interface ReplicaSettings {
  databaseUrl: string;
  bossSchema: string;
  /** The sealing key (hex) the test's bot uses, so stored credentials open here too. */
  keyHex: string;
  slackApiUrl: string;
  botToken: string;
  alationBaseUrl: string;
  modeBaseUrl: string;
  leaseMs: number;
}

const settings = JSON.parse(process.env.REPLICA ?? '{}') as ReplicaSettings;
const log = createLogger({ level: 'info' });
const db = await openPostgres(settings.databaseUrl);
const boss = new PgBoss({
  connectionString: settings.databaseUrl,
  schema: settings.bossSchema,
  max: 3,
});
boss.on('error', (err) => log.error({ err }, 'pg-boss error'));
await boss.start();
const features = createFeatures({
  config: {
    alationBaseUrl: settings.alationBaseUrl,
    modeBaseUrl: settings.modeBaseUrl,
    publicUrl: undefined,
    alationOAuth: undefined,
  },
  db,
  keyring: createKeyring([{ label: 'test', key: Buffer.from(settings.keyHex, 'hex') }]),
  log,
  boss,
});
const slack = new webApi.WebClient(settings.botToken, { slackApiUrl: settings.slackApiUrl });
await startDigestWorker(boss, {
  ...digestWorkerDeps(features, slack, log),
  leaseMs: settings.leaseMs,
  pollingIntervalSeconds: 0.5,
});
process.stdout.write('ready\n');
