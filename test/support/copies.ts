// What the personal-copies suites (digests and alerts, issue 18) share: the people, their DMs,
// pressing a copy button as one of them, and two replicas on one PostgreSQL with the copy
// queue drained.
import { DIGEST_COPY_QUEUE } from '../../src/queue/digest-copies.ts';
import type { Owner } from '../../src/store/credentials.ts';
import { blockAction } from '../driver.ts';
import { DEFAULT_OWNER, startTestBot, type TestBot } from './bot.ts';
import type { TestDatabase } from './databases.ts';
import { until } from './wait.ts';

/** Copies go through pg-boss polling: generous waits for a loaded machine. */
export const LOADED = { timeoutMs: 30_000 };
export const ADA = 'U0ADA00001';
export const BOB = 'U0BOB00001';
export const CY = 'U0CY000001';
export const as = (userId: string): Owner => ({ tenantId: DEFAULT_OWNER.tenantId, userId });

export const dms = (t: TestBot, userId: string) => t.slack.messages(t.slack.dmChannel(userId));

/** A button of a copy (Get my own copy, Unsubscribe) pressed by `userId`. */
export async function press(t: TestBot, userId: string, actionId: string, value: string) {
  await blockAction(t.target, {
    user: { id: userId },
    actions: [{ action_id: actionId, value }],
    response_url: t.slack.responseUrl(),
  });
}

/** Two bots on one database and one pg-boss schema, the creator connected (Alation user 7). */
export async function twoReplicas(
  database: TestDatabase | undefined,
  prefix: string,
  bots: TestBot[],
) {
  const schema = `${prefix}_${Date.now().toString(36)}`;
  const a = await startTestBot({ database, jobs: { schema } });
  bots.push(a);
  const b = await startTestBot({ jobs: { schema }, reuse: a });
  bots.push(b);
  await a.connectAlation(DEFAULT_OWNER, 7);
  return { a, b, schema };
}

/** Until no job of `queue` (the copy batches unless told) is left unfinished. */
export async function queueDrained(
  t: TestBot,
  schema: string,
  queue: string = DIGEST_COPY_QUEUE,
  timeoutMs = 60_000,
) {
  await until(async () => {
    const [row] = await t.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${schema}.job WHERE name = $1 AND state <> 'completed'`,
      [queue],
    );
    return Number(row?.n) === 0;
  }, timeoutMs);
}

/** Until `userId`'s copies in `table` have all finished (posted, skipped or failed), `n` of them. */
export async function finishedCopies(
  t: TestBot,
  table: 'digest_copies' | 'alert_copies',
  userId: string,
  n: number,
) {
  await until(async () => {
    const [row] = await t.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${table} WHERE slot LIKE $1 AND status <> 'claimed'`,
      [`%#${userId}`],
    );
    return Number(row?.n) === n;
  }, 10_000);
}

/**
 * A query only Alation users 7 (its author, the creator) and 8 (Ada) may see, unless published.
 */
export function hiddenQuery(t: TestBot, title: string, published: boolean) {
  const datasourceId = t.alation.addDataSource({ title: 'Warehouse' }).id;
  return t.alation.addQuery({
    datasourceId,
    title,
    content: 'SELECT 1',
    published,
    authorId: 7,
    viewerIds: [8],
  });
}

/** A bot with the job queue, its creator (Alation 7), Ada (8), Bob (9, refused) and Cy (none). */
export async function adaBobAndCy(bots: TestBot[]): Promise<TestBot> {
  const t = await startTestBot({ jobs: {} });
  bots.push(t);
  for (const id of [ADA, BOB, CY]) t.slack.addUser({ id, name: id.toLowerCase() });
  await t.connectAlation(DEFAULT_OWNER, 7);
  await t.connectAlation(as(ADA), 8);
  await t.connectAlation(as(BOB), 9);
  return t;
}

/** A bot with the job queue, its creator (Alation 7) and Cy, who never connected. */
export async function creatorAndCy(bots: TestBot[]): Promise<TestBot> {
  const t = await startTestBot({ jobs: {} });
  bots.push(t);
  t.slack.addUser({ id: CY, name: 'cy' });
  await t.connectAlation(DEFAULT_OWNER, 7);
  return t;
}

/** After Bob unsubscribed and one more run: Ada's second copy and the creator's third, Bob's one. */
export async function expectBobLeft(t: TestBot): Promise<void> {
  await t.slack.waitUntil(() => dms(t, ADA).length === 2 || undefined, LOADED);
  await t.slack.waitUntil(() => dms(t, DEFAULT_OWNER.userId).length === 3 || undefined, LOADED);
  if (dms(t, BOB).length !== 1) throw new Error(`Bob got ${dms(t, BOB).length} DMs, not 1`);
}

/** `n` connected people (Alation users 100…), each subscribed with `subscribe`. */
export async function manySubscribers(
  t: TestBot,
  n: number,
  subscribe: (owner: Owner) => Promise<unknown>,
): Promise<string[]> {
  const users = Array.from({ length: n }, (_, i) => `U0SUB${String(i).padStart(5, '0')}`);
  for (const [i, id] of users.entries()) {
    t.slack.addUser({ id, name: id.toLowerCase() });
    await t.connectAlation(as(id), 100 + i);
    await subscribe(as(id));
  }
  return users;
}

/** A run of a personal digest as its slot saved it, one line of text, for copies to fan out. */
export function saveOneLineRun(
  t: TestBot,
  run: { digestId: string; slot: string; title: string; line: string; resultId: number },
) {
  return t.features.subscriptions.saveRun(run.digestId, run.slot, {
    message: {
      text: run.title,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: run.line } }],
    },
    resultId: run.resultId,
  });
}

/** Alation users who asked for the latest result of `queryId` since request `from`, in order. */
export const latestAskedBy = (t: TestBot, queryId: number, from: number) =>
  t.alation.requests
    .slice(from)
    .filter((r) => r.path === `/integration/v1/query/${queryId}/result/latest/`)
    .map((r) => r.userId);
