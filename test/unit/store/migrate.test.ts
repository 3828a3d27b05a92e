import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recordStart } from '../../../src/store/app-meta.ts';
import {
  currentVersion,
  loadMigrations,
  type Migration,
  migrate,
  SchemaTooNewError,
} from '../../../src/store/migrate.ts';
import { type TestDb, testDatabases } from '../../support/databases.ts';

const v1: Migration = {
  version: 1,
  name: 'notes',
  sql: 'CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL);',
};
const v2: Migration = {
  version: 2,
  name: 'notes_author',
  sql: `ALTER TABLE notes ADD COLUMN author text NOT NULL DEFAULT 'unknown';
        CREATE INDEX notes_author_idx ON notes (author);`,
};

describe.each(testDatabases())('migrations on $name', (database) => {
  const open: TestDb[] = [];
  const fresh = async () => {
    const db = await database.empty();
    open.push(db);
    return db;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((db) => db.drop()));
  });

  it('applies the shipped migrations to an empty database and records each version', async () => {
    const db = await fresh();
    const shipped = await loadMigrations();
    const report = await migrate(db, shipped);
    expect(report.from).toBe(0);
    expect(report.to).toBe(shipped.length);
    expect(report.applied.map((m) => m.version)).toEqual(shipped.map((m) => m.version));
    const rows = await db.query<{ version: number; name: string }>(
      'SELECT version, name FROM schema_migrations ORDER BY version',
    );
    expect(rows.map((r) => r.name)).toEqual(shipped.map((m) => m.name));
  });

  it('is a no-op the second time', async () => {
    const db = await fresh();
    await migrate(db, [v1, v2]);
    const again = await migrate(db, [v1, v2]);
    expect(again).toMatchObject({ from: 2, to: 2, applied: [] });
  });

  it('upgrades a database written by an older build without losing its rows', async () => {
    const db = await fresh();
    await migrate(db, [v1]);
    await db.query('INSERT INTO notes (body) VALUES ($1), ($2)', ['first', 'second']);
    const report = await migrate(db, [v1, v2]);
    expect(report).toMatchObject({ from: 1, to: 2 });
    expect(report.applied.map((m) => m.version)).toEqual([2]);
    const rows = await db.query<{ body: string; author: string }>(
      'SELECT body, author FROM notes ORDER BY id',
    );
    expect(rows).toEqual([
      { body: 'first', author: 'unknown' },
      { body: 'second', author: 'unknown' },
    ]);
  });

  it('refuses a database written by a newer build', async () => {
    const db = await fresh();
    await migrate(db, [v1, v2]);
    await expect(migrate(db, [v1])).rejects.toBeInstanceOf(SchemaTooNewError);
    await expect(migrate(db, [v1])).rejects.toThrow(/schema version 2 .* only knows up to 1/);
  });

  it('rolls a failing migration back whole and keeps the previous version', async () => {
    const db = await fresh();
    const broken: Migration = {
      version: 2,
      name: 'broken',
      sql: 'CREATE TABLE half_done (id int); SELECT * FROM no_such_table;',
    };
    await migrate(db, [v1]);
    await expect(migrate(db, [v1, broken])).rejects.toThrow(/no_such_table/);
    expect(await currentVersion(db)).toBe(1);
    const tables = await db.query(
      `SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done' AND table_schema = current_schema()`,
    );
    expect(tables).toEqual([]);
    // The database is still usable after the failed attempt.
    await migrate(db, [v1, v2]);
    expect(await currentVersion(db)).toBe(2);
  });

  it('applies each migration once when two starts race', async () => {
    const db = await fresh();
    const [a, b] = await Promise.all([migrate(db, [v1, v2]), migrate(db, [v1, v2])]);
    expect([...a.applied, ...b.applied].map((m) => m.version).sort()).toEqual([1, 2]);
    expect(await currentVersion(db)).toBe(2);
  });

  it('remembers when it was installed and notices a changed encryption key', async () => {
    const db = await fresh();
    await migrate(db, await loadMigrations());
    const first = await recordStart(db, 'key-a');
    expect(first.previousKeyId).toBeUndefined();
    const second = await recordStart(db, 'key-a');
    expect(second.installedAt.getTime()).toBe(first.installedAt.getTime());
    expect(second.previousKeyId).toBeUndefined();
    const rotated = await recordStart(db, 'key-b');
    expect(rotated.previousKeyId).toBe('key-a');
  });
});

describe('loadMigrations', () => {
  it('reads NNN_name.sql files in order', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'migrations-'));
    await writeFile(path.join(dir, '002_second.sql'), 'SELECT 2;');
    await writeFile(path.join(dir, '001_first.sql'), 'SELECT 1;');
    await writeFile(path.join(dir, 'README.md'), 'not a migration');
    expect(await loadMigrations(dir)).toEqual([
      { version: 1, name: 'first', sql: 'SELECT 1;' },
      { version: 2, name: 'second', sql: 'SELECT 2;' },
    ]);
  });

  it('rejects a gap in the sequence', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'migrations-'));
    await writeFile(path.join(dir, '001_first.sql'), 'SELECT 1;');
    await writeFile(path.join(dir, '003_third.sql'), 'SELECT 3;');
    await expect(loadMigrations(dir)).rejects.toThrow(/003_third.sql breaks/);
  });
});
