import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { type Db, openPostgres, pgliteDb as wrapPglite } from '../../src/store/db.ts';
import { loadMigrations, migrate } from '../../src/store/migrate.ts';

/**
 * The databases every storage suite runs against: PGlite always, PostgreSQL when
 * TEST_DATABASE_URL is set (CI sets it). `describe.each(testDatabases())` runs a suite on each.
 */
export interface TestDatabase {
  name: 'pglite' | 'postgres';
  /** A fresh, empty database (no migrations applied). */
  empty(): Promise<TestDb>;
  /** A fresh database with every migration applied. */
  migrated(): Promise<TestDb>;
}

export interface TestDb extends Db {
  /** Closes and throws the database away. */
  drop(): Promise<void>;
}

export function testDatabases(): TestDatabase[] {
  const url = process.env.TEST_DATABASE_URL;
  return url ? [pgliteDatabase(), postgresDatabase(url)] : [pgliteDatabase()];
}

/** Booting PGlite takes seconds; loading a dump of a booted one takes a few hundred ms. */
function pgliteDatabase(): TestDatabase {
  const templates = new Map<string, Promise<Blob>>();
  const template = (withMigrations: boolean) => {
    const key = String(withMigrations);
    let dump = templates.get(key);
    if (!dump) {
      dump = (async () => {
        const db = await PGlite.create();
        if (withMigrations) await migrate(wrapPglite(db), await loadMigrations());
        const blob = await db.dumpDataDir('none');
        await db.close();
        return blob;
      })();
      templates.set(key, dump);
    }
    return dump;
  };
  const open = async (withMigrations: boolean): Promise<TestDb> => {
    const db = wrapPglite(await PGlite.create({ loadDataDir: await template(withMigrations) }));
    return { ...db, drop: () => db.close() };
  };
  return { name: 'pglite', empty: () => open(false), migrated: () => open(true) };
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
