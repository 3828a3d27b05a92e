import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db, Queryable } from './db.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export interface MigrationReport {
  from: number;
  to: number;
  applied: Migration[];
}

/** A database written by a newer build: running older code against it could lose data. */
export class SchemaTooNewError extends Error {
  readonly databaseVersion: number;
  readonly knownVersion: number;
  constructor(databaseVersion: number, knownVersion: number) {
    super(
      `The database is at schema version ${databaseVersion} but this build only knows up to ${knownVersion}. Run a newer alation-slack-bot, or point DATA_DIR/DATABASE_URL at another database.`,
    );
    this.name = 'SchemaTooNewError';
    this.databaseVersion = databaseVersion;
    this.knownVersion = knownVersion;
  }
}

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

// Any constant will do; it only has to be the same in every replica.
const MIGRATION_LOCK = 727_204_811;

/** Reads `migrations/NNN_name.sql` in version order. */
export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d+_[\w-]+\.sql$/.test(f)).sort();
  const migrations = await Promise.all(
    files.map(async (file) => ({
      version: Number.parseInt(file, 10),
      name: file.replace(/^\d+_|\.sql$/g, ''),
      sql: await readFile(path.join(dir, file), 'utf8'),
    })),
  );
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Migration ${files[i]} breaks the 1, 2, 3… sequence`);
  });
  return migrations;
}

/**
 * Brings the schema up to the newest migration. Each migration runs in its own transaction under
 * an advisory lock, so replicas starting together apply it once and a failure leaves the
 * previous version intact.
 */
export async function migrate(db: Db, migrations: Migration[]): Promise<MigrationReport> {
  const known = migrations.length;
  const from = await db.transaction(async (tx) => {
    // Even IF NOT EXISTS races on PostgreSQL's catalog when two replicas start together.
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    integer PRIMARY KEY,
      name       text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    return currentVersion(tx);
  });
  if (from > known) throw new SchemaTooNewError(from, known);
  const applied: Migration[] = [];
  for (const migration of migrations) {
    const done = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      const rows = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [
        migration.version,
      ]);
      if (rows.length > 0) return false;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      return true;
    });
    if (done) applied.push(migration);
  }
  return { from, to: await currentVersion(db), applied };
}

export async function currentVersion(db: Queryable): Promise<number> {
  const [row] = await db.query<{ v: number | null }>(
    'SELECT max(version)::int AS v FROM schema_migrations',
  );
  return row?.v ?? 0;
}
