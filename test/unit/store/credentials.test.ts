import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createCredentialStore, type Owner } from '../../../src/store/credentials.ts';
import { createKeyring } from '../../../src/store/keyring.ts';
import { open, seal } from '../../../src/store/seal.ts';
import { type TestDb, testDatabases } from '../../support/databases.ts';
import { captureLog } from '../../support/log.ts';

const alice: Owner = { tenantId: 'T1', userId: 'U1' };
const aliceElsewhere: Owner = { tenantId: 'T2', userId: 'U1' };
const bob: Owner = { tenantId: 'T1', userId: 'U2' };
const secret = { refreshToken: 'rt-alice-0123456789', alationUserId: 7 };

describe('seal/open', () => {
  const ring = createKeyring([{ label: 'k', key: randomBytes(32) }]);
  it('round-trips and refuses another context or a flipped bit', () => {
    const sealed = seal(ring, Buffer.from('hello'), 'ctx-a');
    const opened = open(ring, sealed, 'ctx-a');
    expect(opened).toEqual({ ok: true, plaintext: Buffer.from('hello'), stale: false });
    expect(open(ring, sealed, 'ctx-b')).toEqual({ ok: false, reason: 'corrupt' });
    const flipped = Buffer.from(sealed.box);
    flipped[20] = (flipped[20] ?? 0) ^ 1;
    expect(open(ring, { ...sealed, box: flipped }, 'ctx-a')).toEqual({
      ok: false,
      reason: 'corrupt',
    });
    expect(open(ring, { ...sealed, keyId: 'gone' }, 'ctx-a')).toEqual({
      ok: false,
      reason: 'key_missing',
    });
  });

  it('uses a fresh nonce every time', () => {
    const a = seal(ring, Buffer.from('same'), 'c');
    const b = seal(ring, Buffer.from('same'), 'c');
    expect(a.box.equals(b.box)).toBe(false);
  });
});

describe.each(testDatabases())('credential store on $name', (database) => {
  const open: TestDb[] = [];
  const fresh = async () => {
    const db = await database.migrated();
    open.push(db);
    return db;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((db) => db.drop()));
  });
  const oldKey = { label: 'k2025', key: randomBytes(32) };
  const newKey = { label: 'k2026', key: randomBytes(32) };

  it('keeps each user and workspace apart', async () => {
    const db = await fresh();
    const store = createCredentialStore(db, createKeyring([oldKey]), captureLog().log);
    await store.save(alice, 'alation', secret, { alationUserId: 7, name: 'Alice' });
    expect(await store.load(alice, 'alation')).toMatchObject({
      state: 'connected',
      secret,
      profile: { alationUserId: 7, name: 'Alice' },
    });
    expect(await store.load(aliceElsewhere, 'alation')).toEqual({ state: 'missing' });
    expect(await store.load(bob, 'alation')).toEqual({ state: 'missing' });
    expect(await store.load(alice, 'mode')).toEqual({ state: 'missing' });
  });

  it('stores no secret in plain text in any column', async () => {
    const db = await fresh();
    const store = createCredentialStore(db, createKeyring([oldKey]), captureLog().log);
    await store.save(alice, 'alation', secret, { alationUserId: 7 });
    await store.save(alice, 'mode', { token: 'mode-token-xyz', secret: 'mode-secret-xyz' }, {});
    const dump = JSON.stringify(
      await db.query(`SELECT *, encode(secret, 'escape') AS raw FROM credentials`),
    );
    for (const plain of ['rt-alice-0123456789', 'mode-token-xyz', 'mode-secret-xyz']) {
      expect(dump).not.toContain(plain);
    }
  });

  it('will not open a secret copied onto another user’s row', async () => {
    const db = await fresh();
    const store = createCredentialStore(db, createKeyring([oldKey]), captureLog().log);
    await store.save(alice, 'alation', secret, {});
    await store.save(bob, 'alation', { refreshToken: 'bob' }, {});
    await db.query(
      `UPDATE credentials SET secret = (SELECT secret FROM credentials WHERE user_id = 'U1')
        WHERE user_id = 'U2'`,
    );
    expect(await store.load(bob, 'alation')).toMatchObject({
      state: 'reconnect',
      reason: 'unreadable',
    });
  });

  it('opens rows sealed with an older key after a new key is added, and re-seals them on use', async () => {
    const db = await fresh();
    const before = createCredentialStore(db, createKeyring([oldKey]), captureLog().log);
    await before.save(alice, 'alation', secret, {});
    const after = createCredentialStore(db, createKeyring([newKey, oldKey]), captureLog().log);
    expect(await after.load(alice, 'alation')).toMatchObject({ state: 'connected', secret });
    const [row] = await db.query<{ key_id: string }>('SELECT key_id FROM credentials');
    expect(row?.key_id).toBe(createKeyring([newKey]).current.id);
  });

  it('rotateAll leaves no row under the old key', async () => {
    const db = await fresh();
    const before = createCredentialStore(db, createKeyring([oldKey]), captureLog().log);
    await before.save(alice, 'alation', secret, {});
    await before.save(bob, 'alation', { refreshToken: 'b' }, {});
    await before.save(alice, 'mode', { token: 't', secret: 's' }, {});
    const ring = createKeyring([newKey, oldKey]);
    const after = createCredentialStore(db, ring, captureLog().log);
    expect(await after.rotateAll()).toEqual({ resealed: 3, current: 3, unreadable: 0 });
    const ids = await db.query<{ key_id: string }>('SELECT DISTINCT key_id FROM credentials');
    expect(ids).toEqual([{ key_id: ring.current.id }]);
    // The old key can now be dropped from the ring.
    const newOnly = createCredentialStore(db, createKeyring([newKey]), captureLog().log);
    expect(await newOnly.load(bob, 'alation')).toMatchObject({
      state: 'connected',
      secret: { refreshToken: 'b' },
    });
  });

  it('reports a row whose key is gone as reconnect-needed, not a crash', async () => {
    const db = await fresh();
    const before = createCredentialStore(db, createKeyring([oldKey]), captureLog().log);
    await before.save(alice, 'alation', secret, { name: 'Alice' });
    const { log, lines } = captureLog();
    const after = createCredentialStore(db, createKeyring([newKey]), log);
    expect(await after.load(alice, 'alation')).toEqual({
      state: 'reconnect',
      reason: 'key_missing',
      profile: { name: 'Alice' },
    });
    expect(lines().map((l) => l.msg)).toContain('stored credential cannot be opened');
    expect(await after.rotateAll()).toEqual({ resealed: 0, current: 0, unreadable: 0 });
    // A new connection replaces it.
    await after.save(alice, 'alation', secret, {});
    expect(await after.load(alice, 'alation')).toMatchObject({ state: 'connected' });
  });

  it('marks, lists and removes', async () => {
    const db = await fresh();
    const store = createCredentialStore(db, createKeyring([oldKey]), captureLog().log);
    await store.save(alice, 'alation', secret, { name: 'Alice' });
    await store.save(alice, 'mode', { token: 't', secret: 's' }, { workspace: 'acme' });
    await store.markReconnect(alice, 'alation', 'refresh_token_expired');
    expect(await store.load(alice, 'alation')).toMatchObject({
      state: 'reconnect',
      reason: 'refresh_token_expired',
    });
    expect(await store.list(alice)).toEqual([
      {
        provider: 'alation',
        status: 'reconnect',
        status_reason: 'refresh_token_expired',
        profile: { name: 'Alice' },
      },
      { provider: 'mode', status: 'active', status_reason: null, profile: { workspace: 'acme' } },
    ]);
    expect(await store.remove(alice, 'alation')).toBe(true);
    expect(await store.remove(alice, 'alation')).toBe(false);
    expect(await store.load(alice, 'alation')).toEqual({ state: 'missing' });
  });
});
