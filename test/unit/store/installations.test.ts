import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type AnyInstallation,
  createInstallationStore,
  type InstallationStore,
} from '../../../src/store/installations.ts';
import { createKeyring } from '../../../src/store/keyring.ts';
import { type TestDb, testDatabases } from '../../support/databases.ts';

const NOW = new Date('2026-12-01T09:00:00Z');

const workspace = (team: string, enterprise?: string, token = `xoxb-${team}-secret`) =>
  ({
    team: { id: team, name: team },
    enterprise: enterprise ? { id: enterprise, name: enterprise } : undefined,
    user: { id: 'U1', token: undefined, scopes: undefined },
    bot: { id: 'B1', userId: 'UB1', token, scopes: ['commands'] },
    isEnterpriseInstall: false,
    authVersion: 'v2',
  }) as AnyInstallation;

const org = (enterprise: string) =>
  ({
    team: undefined,
    enterprise: { id: enterprise, name: enterprise },
    user: { id: 'U1', token: undefined, scopes: undefined },
    bot: { id: 'B2', userId: 'UB2', token: `xoxb-${enterprise}-secret`, scopes: ['commands'] },
    isEnterpriseInstall: true,
    authVersion: 'v2',
  }) as AnyInstallation;

describe.each(testDatabases())('installation store on $name', (database) => {
  let db: TestDb;
  let store: InstallationStore;
  const keyring = createKeyring([{ label: 'k', key: randomBytes(32) }]);
  beforeAll(async () => {
    db = await database.migrated();
    store = createInstallationStore(db, keyring, () => NOW);
  });
  beforeEach(async () => {
    await db.query('DELETE FROM slack_installations');
    await db.query('DELETE FROM slack_install_states');
  });
  afterAll(() => db.drop());

  it('keeps the installation sealed and finds it by workspace', async () => {
    await store.save(workspace('T1'));
    const found = await store.find({ teamId: 'T1' });
    expect(found?.installation.bot?.token).toBe('xoxb-T1-secret');
    const [row] = await db.query<{ secret: Uint8Array; team_id: string }>(
      'SELECT secret, team_id FROM slack_installations',
    );
    expect(row?.team_id).toBe('T1');
    expect(Buffer.from(row?.secret ?? []).toString('latin1')).not.toContain('xoxb-');
    expect(await store.find({ teamId: 'T2' })).toBeUndefined();
  });

  it('serves every workspace of an org from its org-wide install', async () => {
    await store.save(org('E1'));
    expect((await store.find({ teamId: 'T9', enterpriseId: 'E1' }))?.id).toBe('E:E1');
    expect((await store.find({ enterpriseId: 'E1', isEnterpriseInstall: true }))?.id).toBe('E:E1');
    expect((await store.forTenant('E1'))?.id).toBe('E:E1');
    // A workspace's own install wins over the org's.
    await store.save(workspace('T9', 'E1', 'xoxb-own'));
    expect((await store.find({ teamId: 'T9', enterpriseId: 'E1' }))?.installation.bot?.token).toBe(
      'xoxb-own',
    );
  });

  it('finds a workspace install inside an enterprise by the enterprise (credentials’ tenant)', async () => {
    await store.save(workspace('T5', 'E5'));
    expect((await store.forTenant('E5'))?.id).toBe('T:T5');
    expect((await store.forTenant('T5'))?.id).toBe('T:T5');
  });

  it('does not open a row whose sealed installation was moved to another row', async () => {
    await store.save(workspace('T1'));
    await store.save(workspace('T2'));
    await db.query(
      `UPDATE slack_installations SET secret = (SELECT secret FROM slack_installations WHERE id = 'T:T1')
        WHERE id = 'T:T2'`,
    );
    expect(await store.find({ teamId: 'T2' })).toBeUndefined();
  });

  it('removes an install and says which tenant it served', async () => {
    await store.save(workspace('T1', 'E1'));
    expect(await store.remove({ teamId: 'T1', enterpriseId: 'E1' })).toEqual(['E1']);
    expect(await store.remove({ teamId: 'T1' })).toEqual([]);
  });

  it('lets one caller at a time claim a refresh, until the lease ends or it is saved', async () => {
    await store.save(workspace('T1'));
    expect(await store.claimRefresh('T:T1', NOW, 30_000)).toBe(true);
    expect(await store.claimRefresh('T:T1', NOW, 30_000)).toBe(false);
    expect(await store.claimRefresh('T:T1', new Date(NOW.getTime() + 31_000), 30_000)).toBe(true);
    await store.saveRefreshed('T:T1', workspace('T1', undefined, 'xoxb-new'));
    expect(await store.claimRefresh('T:T1', NOW, 30_000)).toBe(true);
    expect((await store.find({ teamId: 'T1' }))?.installation.bot?.token).toBe('xoxb-new');
  });
});
