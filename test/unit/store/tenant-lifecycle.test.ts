import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAlertStore } from '../../../src/store/alerts.ts';
import type { Owner } from '../../../src/store/credentials.ts';
import { createDigestStore } from '../../../src/store/digests.ts';
import {
  createTenantLifecycle,
  type TenantLifecycle,
  UNINSTALL_RETENTION_DAYS,
} from '../../../src/store/tenant-lifecycle.ts';
import { createWatchStore } from '../../../src/store/watches.ts';
import { type TestDb, testDatabases } from '../../support/databases.ts';

const NOW = new Date('2026-12-01T09:00:00Z');
const DAY = 86_400_000;
const ADA: Owner = { tenantId: 'T1', userId: 'UADA' };
const BOB: Owner = { tenantId: 'T1', userId: 'UBOB' };
const ELSEWHERE: Owner = { tenantId: 'T2', userId: 'UADA' };

describe.each(testDatabases())('tenant lifecycle on $name', (database) => {
  let db: TestDb;
  let life: TenantLifecycle;
  beforeAll(async () => {
    db = await database.migrated();
    life = createTenantLifecycle(db);
  });
  beforeEach(async () => {
    for (const table of ['digests', 'alerts', 'job_watches', 'credentials', 'slack_uninstalls']) {
      await db.query(`DELETE FROM ${table}`);
    }
  });
  afterAll(() => db.drop());

  async function seed(owner: Owner) {
    await db.query(
      `INSERT INTO credentials (tenant_id, user_id, provider, key_id, secret)
       VALUES ($1, $2, 'alation', 'k', '\\x00'), ($1, $2, 'mode', 'k', '\\x00')`,
      [owner.tenantId, owner.userId],
    );
    const digest = await createDigestStore(db).create(
      {
        owner,
        channelId: 'C1',
        name: `${owner.userId} digest`,
        params: { kind: 'failed_runs' } as never,
        cron: '0 9 * * *',
        tz: 'UTC',
      },
      NOW,
    );
    const alert = await createAlertStore(db).create(
      {
        owner,
        channelId: 'C1',
        onlyMe: false,
        tz: 'UTC',
        name: 'a',
        queryId: 7,
        condition: { kind: 'row_count', op: '=', n: 0 },
        everyMinutes: 5,
      },
      NOW,
    );
    const watch = await createWatchStore(db).create({
      owner,
      channelId: 'C1',
      messageTs: '1.2',
      ref: { id: 3 },
      startedAt: NOW,
      deadline: new Date(NOW.getTime() + DAY),
    });
    return { digest, alert, watch };
  }

  const statuses = async (ids: {
    digest: { id: string };
    alert: { id: string };
    watch: { id: string };
  }) => ({
    digest: (await createDigestStore(db).get(ids.digest.id))?.status,
    alert: (await createAlertStore(db).get(ids.alert.id))?.status,
    watch: (await createWatchStore(db).get(ids.watch.id))?.status,
  });
  const credentials = async (owner: Owner) =>
    (
      await db.query('SELECT 1 FROM credentials WHERE tenant_id = $1 AND user_id = $2', [
        owner.tenantId,
        owner.userId,
      ])
    ).length;

  it('a member who left: their credentials gone, their work paused, nobody else’s', async () => {
    const ada = await seed(ADA);
    const bob = await seed(BOB);
    const other = await seed(ELSEWHERE);
    const done = await life.memberLeft(ADA);
    expect(done).toMatchObject({ credentials: 2, alerts: 1, watches: 1 });
    expect(done.digests).toEqual([{ id: ada.digest.id, channelId: 'C1', name: 'UADA digest' }]);
    expect(await statuses(ada)).toEqual({ digest: 'paused', alert: 'paused', watch: 'stopped' });
    expect(await statuses(bob)).toEqual({ digest: 'active', alert: 'active', watch: 'watching' });
    expect(await statuses(other)).toEqual({ digest: 'active', alert: 'active', watch: 'watching' });
    expect(await credentials(ADA)).toBe(0);
    expect(await credentials(BOB)).toBe(2);
    expect(await credentials(ELSEWHERE)).toBe(2);
  });

  it('an uninstall pauses the workspace, purges after the retention period, a reinstall resumes', async () => {
    const ada = await seed(ADA);
    const other = await seed(ELSEWHERE);
    expect((await life.uninstalled('T1', NOW)).map((d) => d.id)).toEqual([ada.digest.id]);
    expect(await statuses(ada)).toEqual({ digest: 'paused', alert: 'paused', watch: 'stopped' });
    expect(await statuses(other)).toEqual({ digest: 'active', alert: 'active', watch: 'watching' });
    const days = (n: number) => new Date(NOW.getTime() + n * DAY);
    expect(await life.purgeDue(days(UNINSTALL_RETENTION_DAYS - 1))).toEqual({
      tenants: 0,
      credentials: 0,
    });
    expect((await life.reinstalled('T1')).map((d) => d.id)).toEqual([ada.digest.id]);
    expect(await statuses(ada)).toMatchObject({ digest: 'active', alert: 'active' });
    // Reinstalled: nothing is purged later.
    expect(await life.purgeDue(days(UNINSTALL_RETENTION_DAYS + 1))).toEqual({
      tenants: 0,
      credentials: 0,
    });
    await life.uninstalled('T1', NOW);
    expect(await life.purgeDue(days(UNINSTALL_RETENTION_DAYS + 1))).toEqual({
      tenants: 1,
      credentials: 2,
    });
    expect(await credentials(ELSEWHERE)).toBe(2);
  });

  it('a reinstall does not resume what its creator paused', async () => {
    const ada = await seed(ADA);
    await createDigestStore(db).setStatus(ada.digest.id, 'paused', null);
    await life.uninstalled('T1', NOW);
    await life.reinstalled('T1');
    expect((await createDigestStore(db).get(ada.digest.id))?.status).toBe('paused');
  });
});
