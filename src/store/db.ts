import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { fromPglite, type Db as JobsDb } from 'pg-boss';
import { openPgliteThread } from './pglite-thread.ts';

/** What a statement can run against: the database itself or an open transaction. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Several `;`-separated statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** An embedded instance on this thread (tests); undefined in a worker or on PostgreSQL. */
  readonly pglite: PGlite | undefined;
  /** pg-boss's adapter onto the embedded database; undefined on PostgreSQL (its own pool). */
  readonly jobsDb: JobsDb | undefined;
  /** The connection string, for pg-boss's own pool; undefined on PGlite. */
  readonly url: string | undefined;
}

export interface DbOptions {
  /** `postgres://…` → PostgreSQL; undefined → PGlite stored under `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
}

/** The embedded database runs in a worker thread, off the event loop that acks Slack. */
export function openDb(options: DbOptions): Promise<Db> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl)
    : openPgliteThread(path.join(options.dataDir, 'pglite'));
}

/** PGlite on this thread; `dir` undefined → an in-memory database (tests). */
export async function openPglite(dir: string | undefined): Promise<Db> {
  if (dir) await mkdir(dir, { recursive: true });
  return pgliteDb(await PGlite.create(dir ?? 'memory://'));
}

/** Wraps an open PGlite; closing the Db closes it. */
export function pgliteDb(db: PGlite): Db {
  const on = (q: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    query: async <T>(sql: string, params?: unknown[]) => (await q.query<T>(sql, params)).rows,
    exec: async (sql: string) => {
      await q.exec(sql);
    },
  });
  return {
    kind: 'pglite',
    ...on(db),
    transaction: (fn) => db.transaction((tx) => fn(on(tx))),
    close: () => db.close(),
    pglite: db,
    jobsDb: fromPglite(db),
    url: undefined,
  };
}

export async function openPostgres(url: string): Promise<Db> {
  // Small pool: the bot's own queries are short; pg-boss keeps a pool of its own.
  const pool = new pg.Pool({ connectionString: url, max: 5, connectionTimeoutMillis: 5_000 });
  // An idle client losing its connection emits on the pool; unhandled, that would kill the process.
  pool.on('error', () => {});
  const on = (q: pg.Pool | pg.PoolClient): Queryable => ({
    query: async <T>(sql: string, params?: unknown[]) =>
      (await q.query(sql, params as unknown[])).rows as T[],
    exec: async (sql: string) => {
      await q.query(sql);
    },
  });
  // Fail at start-up, with the server's own words, rather than on the first Slack request.
  await pool.query('SELECT 1');
  return {
    kind: 'postgres',
    ...on(pool),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(on(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
    pglite: undefined,
    jobsDb: undefined,
    url,
  };
}
