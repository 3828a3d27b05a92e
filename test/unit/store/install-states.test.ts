import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInstallStates } from '../../../src/store/install-states.ts';
import { type TestDb, testDatabases } from '../../support/databases.ts';

const NOW = new Date('2026-12-01T09:00:00Z');

describe.each(testDatabases())('install states on $name', (database) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await database.migrated();
  });
  afterAll(() => db.drop());

  it('install states work once and expire', async () => {
    const states = createInstallStates(db);
    const state = await states.create({ scopes: ['commands'] }, NOW);
    expect(await states.consume(state, NOW)).toEqual({
      ok: true,
      installOptions: { scopes: ['commands'] },
    });
    expect(await states.consume(state, NOW)).toEqual({ ok: false, reason: 'used' });
    expect(await states.consume('never-issued', NOW)).toEqual({ ok: false, reason: 'unknown' });
    const late = await states.create({ scopes: ['commands'] }, NOW);
    expect(await states.consume(late, new Date(NOW.getTime() + 11 * 60_000))).toEqual({
      ok: false,
      reason: 'expired',
    });
    const rows = await db.query<{ state_hash: string }>(
      'SELECT state_hash FROM slack_install_states',
    );
    expect(rows.map((r) => r.state_hash)).not.toContain(state);
  });
});
