import { Worker } from 'node:worker_threads';
import type { Db as JobsDb } from 'pg-boss';
import type { Db, Queryable } from './db.ts';
import { type FromWorker, type Op, revive, type ToWorker } from './pglite-protocol.ts';

/**
 * PGlite in a worker thread (`pglite-worker.ts`) behind the same `Db` the rest of the bot uses,
 * and a pg-boss adapter onto the same thread. Creating a fresh database and running its WASM
 * then never blocks the event loop that acks Slack's requests.
 *
 * The worker runs requests in arrival order on PGlite's single session. A transaction must not
 * have anyone else's statement land between its BEGIN and COMMIT, so while one is open (or
 * waiting to open) every other statement waits here until it ends; transactions run one at a
 * time, as they did on PGlite's own lock.
 */
const CLOSED = 'the embedded database is closed';

export async function openPgliteThread(dir: string | undefined): Promise<Db> {
  const worker = new Worker(new URL('./pglite-worker.ts', import.meta.url), {
    workerData: { dir },
  });
  const pending = new Map<
    number,
    { resolve: (rows: unknown[]) => void; reject: (e: Error) => void }
  >();
  const listeners = new Map<number, (payload: string) => void>();
  let nextId = 1;
  let stopped: Error | undefined;
  let closing = false;

  const ready = new Promise<void>((resolve, reject) => {
    const receive = (message: FromWorker) => {
      switch (message.type) {
        case 'ready':
          return resolve();
        case 'failed':
          return reject(revive(message.error));
        case 'notify':
          return listeners.get(message.listenId)?.(message.payload);
        default: {
          const call = pending.get(message.id);
          pending.delete(message.id);
          if (message.type === 'result') call?.resolve(message.rows);
          else call?.reject(revive(message.error));
        }
      }
    };
    worker.on('message', (batch: FromWorker[]) => {
      for (const message of batch) receive(message);
    });
    const fail = (error: Error) => {
      stopped ??= error;
      reject(error);
      for (const call of pending.values()) call.reject(error);
      pending.clear();
    };
    worker.on('error', (error) => fail(error));
    worker.on('exit', (code) =>
      fail(new Error(closing ? CLOSED : `the embedded database's thread exited (${code})`)),
    );
  });

  // Statements sent in one go (a burst of requests each reading a credential) travel in one
  // message, in order: each postMessage costs both threads a lock and a wake-up.
  let outbox: ToWorker[] = [];
  const flush = () => {
    const batch = outbox;
    outbox = [];
    if (!stopped) worker.postMessage(batch);
  };
  const send = (op: Op): Promise<unknown[]> => {
    if (stopped) return Promise.reject(stopped);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      if (outbox.push({ id, op }) === 1) queueMicrotask(flush);
    });
  };

  // Transactions queue on `txTail`; `txOpen` counts those holding or awaiting it.
  let txTail: Promise<void> = Promise.resolve();
  let txOpen = 0;
  /** Statements outside a transaction wait until none is open or queued. */
  const outside = async (op: Op): Promise<unknown[]> => {
    while (txOpen > 0) await txTail;
    return send(op);
  };
  const on = (via: (op: Op) => Promise<unknown[]>): Queryable => ({
    query: async <T>(sql: string, params?: unknown[]) =>
      (await via({ kind: 'query', sql, params })) as T[],
    exec: async (sql: string) => {
      await via({ kind: 'exec', sql });
    },
  });

  async function transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    txOpen++;
    const previous = txTail;
    let release: () => void = () => {};
    txTail = new Promise((resolve) => {
      release = resolve;
    });
    try {
      await previous;
      const tx = on(send);
      await tx.exec('BEGIN');
      try {
        const result = await fn(tx);
        await tx.exec('COMMIT');
        return result;
      } catch (error) {
        await tx.exec('ROLLBACK').catch(() => {});
        throw error;
      }
    } finally {
      txOpen--;
      release();
    }
  }

  const jobsDb: JobsDb = {
    executeSql: async (text, values) => ({
      rows: (await outside({ kind: 'jobs', sql: text, params: values })) as unknown[],
    }),
    // One session for the life of the thread, so applying them once is enough.
    async setSessionStatements(statements: string[]) {
      for (const sql of statements) await outside({ kind: 'exec', sql });
    },
    async listen(channel, onNotification, onReconnect) {
      const listenId = nextId++;
      listeners.set(listenId, onNotification);
      await outside({ kind: 'listen', channel, listenId });
      onReconnect();
      return {
        close: async () => {
          listeners.delete(listenId);
          await outside({ kind: 'unlisten', listenId }).catch(() => {});
        },
      };
    },
  } as JobsDb;

  try {
    await ready;
  } catch (error) {
    await worker.terminate();
    throw error;
  }
  return {
    kind: 'pglite',
    ...on(outside),
    transaction,
    async close() {
      if (stopped || closing) return;
      await outside({ kind: 'close' }).finally(() => {
        closing = true;
      });
      stopped ??= new Error(CLOSED);
      await worker.terminate();
    },
    pglite: undefined,
    jobsDb,
    url: undefined,
  };
}
