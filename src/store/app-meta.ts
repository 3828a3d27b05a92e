import type { Queryable } from './db.ts';

export interface InstallationFacts {
  installedAt: Date;
  /** Id of the key that sealed stored credentials before this start, if it differs from now. */
  previousKeyId: string | undefined;
}

/**
 * Records the first start and the current encryption key's id. A changed key id means stored
 * credentials can no longer be opened: worth a loud warning rather than puzzling failures later.
 */
export async function recordStart(db: Queryable, keyId: string): Promise<InstallationFacts> {
  await db.query(
    `INSERT INTO app_meta (key, value) VALUES ('installed_at', to_jsonb(now()))
     ON CONFLICT (key) DO NOTHING`,
  );
  const [previous] = await db.query<{ value: string }>(
    `SELECT value FROM app_meta WHERE key = 'encryption_key_id'`,
  );
  await db.query(
    `INSERT INTO app_meta (key, value, updated_at) VALUES ('encryption_key_id', to_jsonb($1::text), now())
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()`,
    [keyId],
  );
  const [installed] = await db.query<{ value: string }>(
    `SELECT value FROM app_meta WHERE key = 'installed_at'`,
  );
  return {
    installedAt: new Date(installed?.value ?? Date.now()),
    previousKeyId: previous && previous.value !== keyId ? previous.value : undefined,
  };
}
