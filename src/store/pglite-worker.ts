/**
 * The embedded database's own thread: PGlite (PostgreSQL compiled to WASM) runs here, so its
 * start-up (seconds on a fresh DATA_DIR), migrations and every query run off the bot's event
 * loop. `pglite-thread.ts` is the other end. Requests run strictly one after another in the
 * order they arrive; PGlite has a single session, so that order is what keeps a transaction's
 * statements together (the other end holds everyone else back while one is open).
 */
import { mkdir } from 'node:fs/promises';
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { lowerThreadPriority } from '../cpu/priority.ts';
import type { FromWorker, Op, SerializedError, ToWorker } from './pglite-protocol.ts';

if (!parentPort) throw new Error('pglite-worker.ts runs as a worker thread');
/** A nice value (Linux): at 10 the thread gets about a tenth of the event loop's share of a core. */
const DB_THREAD_NICENESS = 10;
// Where this thread and the event loop share a core, the event loop (every Slack ack) goes first:
// without this, 30 people sharing results while 100 acks waited made the acks' p99 6.7× slower
// than idle, with it 1.45× (bench/ack --busy --compare, one run, load average 5.6–7.4). Nothing
// waits on the database before its ack.
lowerThreadPriority(DB_THREAD_NICENESS);
const port: MessagePort = parentPort;
const { dir } = workerData as { dir: string | undefined };

function serialize(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { message: String(error), fields: {} };
  const fields: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(error)) {
    if (typeof value === 'string' || typeof value === 'number') fields[key] = value;
  }
  return { message: error.message, name: error.name, fields };
}

// Answers finished in one turn of this thread's loop go back in one message: each postMessage
// costs both threads a lock and a wake-up, which on a shared core shows up in the bot's acks.
let outbox: FromWorker[] = [];
const flush = () => {
  const batch = outbox;
  outbox = [];
  port.postMessage(batch);
};
const post = (message: FromWorker) => {
  if (outbox.push(message) === 1) setImmediate(flush);
};
const unlisten = new Map<number, () => Promise<void>>();

async function handle(db: PGlite, op: Op): Promise<unknown[]> {
  switch (op.kind) {
    case 'query':
      return (await db.query(op.sql, op.params)).rows;
    case 'exec':
      await db.exec(op.sql);
      return [];
    case 'jobs':
      // pg-boss's statements: parameterised ones one at a time, multi-statement DDL through exec
      // with every statement's rows. A failed one must not leave an aborted transaction behind
      // for the next caller (pg-boss expects pool semantics), so it is rolled back here, before
      // anything else can run.
      try {
        if (op.params?.length) return (await db.query(op.sql, op.params)).rows;
        return (await db.exec(op.sql)).flatMap((r) => r.rows);
      } catch (error) {
        await db.query('ROLLBACK').catch(() => {});
        throw error;
      }
    case 'listen': {
      const stop = await db.listen(op.channel, (payload) =>
        post({ type: 'notify', listenId: op.listenId, payload }),
      );
      unlisten.set(op.listenId, stop);
      return [];
    }
    case 'unlisten':
      await unlisten.get(op.listenId)?.();
      unlisten.delete(op.listenId);
      return [];
    case 'close':
      await db.close();
      return [];
  }
}

try {
  if (dir) await mkdir(dir, { recursive: true });
  const db = await PGlite.create(dir ?? 'memory://');
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (batch: ToWorker[]) => {
    for (const message of batch) {
      queue = queue.then(async () => {
        try {
          post({ type: 'result', id: message.id, rows: await handle(db, message.op) });
        } catch (error) {
          post({ type: 'error', id: message.id, error: serialize(error) });
        }
        if (message.op.kind === 'close') {
          // Closing the port after the answer lets the thread end once it is delivered.
          flush();
          port.close();
        }
      });
    }
  });
  post({ type: 'ready' });
} catch (error) {
  post({ type: 'failed', error: serialize(error) });
  flush();
  port.close();
}
