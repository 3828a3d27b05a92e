import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { type Db, openPostgres, pgliteDb as wrapPglite } from '../../src/store/db.ts';
import { loadMigrations, migrate } from '../../src/store/migrate.ts';
import { openPgliteThread } from '../../src/store/pglite-thread.ts';

/**
 * The databases every storage suite runs against: PGlite always, on the test's thread and in
 * the worker thread production uses, and PostgreSQL when TEST_DATABASE_URL is set (CI sets it).
 * `describe.each(testDatabases())` runs a suite on each.
 */
export interface TestDatabase {
  name: 'pglite' | 'pglite-thread' | 'postgres';
  /** A fresh, empty database (no migrations applied). */
  empty(): Promise<TestDb>;
  /** A fresh database with every migration applied. */
  migrated(): Promise<TestDb>;
}

export interface TestDb extends Db {
  /** Closes and throws the database away. */
  drop(): Promise<void>;
}

// One per test worker (a vitest worker runs one file at a time): booting PGlite is the slow part.
let cached: TestDatabase[] | undefined;

/** PGlite: the database every test can count on. */
export function defaultTestDatabase(): TestDatabase {
  const [first] = testDatabases();
  if (!first) throw new Error('no test database');
  return first;
}

export function testDatabases(): TestDatabase[] {
  const url = process.env.TEST_DATABASE_URL;
  cached ??= [pgliteDatabase(), pgliteThreadDatabase(), ...(url ? [postgresDatabase(url)] : [])];
  return cached;
}

/**
 * Booting PGlite takes seconds (even from a dump), so each test worker boots one and every test
 * gets a schema of its own in it, made current with search_path. PGlite has one session, and
 * tests within a file run one after another, so the current schema is always the test's own.
 */
function pgliteDatabase(): TestDatabase {
  let shared: Promise<PGlite> | undefined;
  const open = async (withMigrations: boolean): Promise<TestDb> => {
    shared ??= PGlite.create();
    const pglite = await shared;
    const schema = `test_${randomBytes(6).toString('hex')}`;
    await pglite.exec(`CREATE SCHEMA ${schema}; SET search_path TO ${schema};`);
    const db = wrapPglite(pglite);
    if (withMigrations) await migrate(db, await loadMigrations());
    return {
      ...db,
      // The instance outlives the test; only the test's schema goes.
      close: async () => {},
      drop: async () => {
        await pglite.exec(`SET search_path TO public; DROP SCHEMA ${schema} CASCADE;`);
      },
    };
  };
  return { name: 'pglite', empty: () => open(false), migrated: () => open(true) };
}

/** The same, on PGlite in a worker thread (what the bot runs without DATABASE_URL). */
function pgliteThreadDatabase(): TestDatabase {
  let shared: Promise<Db> | undefined;
  const open = async (withMigrations: boolean): Promise<TestDb> => {
    shared ??= openPgliteThread(undefined);
    const thread = await shared;
    const schema = `test_${randomBytes(6).toString('hex')}`;
    await thread.exec(`CREATE SCHEMA ${schema}; SET search_path TO ${schema};`);
    if (withMigrations) await migrate(thread, await loadMigrations());
    return {
      ...thread,
      close: async () => {},
      drop: async () => {
        await thread.exec(`SET search_path TO public; DROP SCHEMA ${schema} CASCADE;`);
      },
    };
  };
  return { name: 'pglite-thread', empty: () => open(false), migrated: () => open(true) };
}

/** Each test gets its own schema, so suites can run in parallel on one server. */
function postgresDatabase(url: string): TestDatabase {
  const open = async (withMigrations: boolean): Promise<TestDb> => {
    const schema = `test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    const scoped = new URL(url);
    scoped.searchParams.set('options', `-c search_path=${schema}`);
    const db = await openPostgres(scoped.toString());
    if (withMigrations) await migrate(db, await loadMigrations());
    return {
      ...db,
      async drop() {
        await db.close();
        const cleanup = new pg.Client({ connectionString: url });
        await cleanup.connect();
        await cleanup.query(`DROP SCHEMA ${schema} CASCADE`);
        await cleanup.end();
      },
    };
  };
  return { name: 'postgres', empty: () => open(false), migrated: () => open(true) };
}
