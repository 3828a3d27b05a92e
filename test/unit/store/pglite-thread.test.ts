import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/store/db.ts';
import { loadMigrations, migrate } from '../../../src/store/migrate.ts';
import { openPgliteThread } from '../../../src/store/pglite-thread.ts';

describe('PGlite in a worker thread', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openPgliteThread(undefined);
    await db.exec('CREATE TABLE notes (id int PRIMARY KEY, body text, at timestamptz, raw bytea)');
  });
  afterAll(() => db.close());

  it('runs queries with parameters and returns rows with their types', async () => {
    const at = new Date('2027-01-19T08:00:00Z');
    await db.query('INSERT INTO notes VALUES ($1, $2, $3, $4)', [1, 'one', at, Buffer.from('hi')]);
    const [row] = await db.query<{ id: number; body: string; at: Date; raw: Uint8Array }>(
      'SELECT * FROM notes WHERE id = $1',
      [1],
    );
    expect(row?.id).toBe(1);
    expect(row?.body).toBe('one');
    expect(row?.at).toEqual(at);
    expect(Buffer.from(row?.raw ?? []).toString()).toBe('hi');
    await db.query('DELETE FROM notes');
  });

  it("rejects with PostgreSQL's error fields (code, constraint), and goes on working", async () => {
    await db.query('INSERT INTO notes (id) VALUES (7)');
    const failed = await db.query('INSERT INTO notes (id) VALUES (7)').catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(Error);
    expect(failed).toMatchObject({ code: '23505', constraint: 'notes_pkey' });
    expect(await db.query('SELECT count(*)::int AS n FROM notes')).toEqual([{ n: 1 }]);
    await db.query('DELETE FROM notes');
  });

  it('keeps other statements out of an open transaction: they neither see nor share its fate', async () => {
    let outsideInsert: Promise<unknown> | undefined;
    let outsideCount: Promise<{ n: number }[]> | undefined;
    const rolledBack = db
      .transaction(async (tx) => {
        await tx.query('INSERT INTO notes (id) VALUES (1)');
        // Issued while the transaction is open: on PGlite's one session they would otherwise
        // see its uncommitted row and be rolled back with it.
        outsideInsert = db.query('INSERT INTO notes (id) VALUES (2)');
        outsideCount = db.query<{ n: number }>('SELECT count(*)::int AS n FROM notes');
        await sleep(50);
        await tx.query('INSERT INTO notes (id) VALUES (3)');
        throw new Error('changed my mind');
      })
      .catch((e: unknown) => e);
    expect(await rolledBack).toMatchObject({ message: 'changed my mind' });
    await outsideInsert;
    expect(await outsideCount).toEqual([{ n: 1 }]);
    expect(await db.query('SELECT id FROM notes ORDER BY id')).toEqual([{ id: 2 }]);
    await db.query('DELETE FROM notes');
  });

  it('runs transactions one after another, each committing whole', async () => {
    await Promise.all(
      [10, 20, 30].map((base) =>
        db.transaction(async (tx) => {
          await tx.query('INSERT INTO notes (id) VALUES ($1)', [base]);
          await sleep(10);
          await tx.query('INSERT INTO notes (id) VALUES ($1)', [base + 1]);
        }),
      ),
    );
    const rows = await db.query<{ id: number }>('SELECT id FROM notes ORDER BY id');
    expect(rows.map((r) => r.id)).toEqual([10, 11, 20, 21, 30, 31]);
    await db.query('DELETE FROM notes');
  });

  it('serves pg-boss on the same thread: queue, send, fetch, complete', async () => {
    const boss = new PgBoss({ db: db.jobsDb, backend: 'pglite', schema: 'thread_boss' });
    boss.on('error', () => {});
    await boss.start();
    try {
      await boss.createQueue('probe');
      const id = await boss.send('probe', { hello: 'thread' });
      const [job] = await boss.fetch<{ hello: string }>('probe');
      expect(job?.id).toBe(id);
      expect(job?.data).toEqual({ hello: 'thread' });
      await boss.complete('probe', job?.id ?? '');
      // A failed statement leaves no aborted transaction behind for the next one.
      await expect(db.jobsDb?.executeSql('SELECT * FROM no_such_table')).rejects.toThrow();
      expect(await db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await boss.stop({ graceful: false, close: false });
    }
  });
});

/** Nice values of this process's threads, from /proc (Linux); undefined elsewhere. */
function threadNiceness(): number[] | undefined {
  if (!existsSync('/proc/self/task')) return undefined;
  return readdirSync('/proc/self/task').flatMap((tid) => {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // Fields after the command name; nice is field 19, the 17th after it.
      return [Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])];
    } catch {
      return [];
    }
  });
}

describe('PGlite thread priority', () => {
  it('runs below the event loop, so acks win a shared core', async () => {
    const before = threadNiceness();
    if (!before) return;
    const db = await openPgliteThread(undefined);
    try {
      const after = threadNiceness() ?? [];
      const niced = (xs: number[]) => xs.filter((n) => n === 10).length;
      expect(niced(after)).toBe(niced(before) + 1);
      expect(readFileSync('/proc/thread-self/stat', 'utf8')).toMatch(/\) \S+(?: \S+){15} 0 /);
    } finally {
      await db.close();
    }
  });
});

describe('PGlite thread on disk', () => {
  it('migrates a fresh directory, keeps the data across a reopen, and refuses calls once closed', async () => {
    const dir = path.join(await mkdtemp(path.join(tmpdir(), 'pglite-thread-')), 'pglite');
    const first = await openPgliteThread(dir);
    await migrate(first, await loadMigrations());
    await first.query(`INSERT INTO app_meta (key, value) VALUES ('probe', '"kept"')`);
    await first.close();
    await expect(first.query('SELECT 1')).rejects.toThrow(/closed/);

    const second = await openPgliteThread(dir);
    try {
      expect(await second.query(`SELECT value FROM app_meta WHERE key = 'probe'`)).toEqual([
        { value: 'kept' },
      ]);
    } finally {
      await second.close();
    }
  });
});
