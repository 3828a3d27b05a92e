// Slack installations of the app when it is distributed by OAuth: one per workspace, or one per
// Enterprise Grid org for an org-wide install. Bolt's Installation (bot token, refresh token and
// all) is sealed with the credentials keyring; ids and the token's expiry stay in plain text so
// rows can be found and refreshed without opening them.
import type { Installation } from '@slack/bolt';
import type { Queryable } from './db.ts';
import type { Keyring } from './keyring.ts';
import { open, seal } from './seal.ts';

export type AnyInstallation = Installation<'v1' | 'v2', boolean>;

export interface StoredInstallation {
  id: string;
  enterpriseId: string | undefined;
  teamId: string | undefined;
  isEnterpriseInstall: boolean;
  installation: AnyInstallation;
  /** A rotating bot token's expiry; undefined when rotation is off. */
  botExpiresAt: Date | undefined;
}

export interface InstallationQuery {
  enterpriseId?: string | undefined;
  teamId?: string | undefined;
  isEnterpriseInstall?: boolean | undefined;
}

export interface InstallationStore {
  /** Creates or replaces the installation of its workspace or org. */
  save(installation: AnyInstallation): Promise<StoredInstallation>;
  /**
   * The installation that serves a request from this workspace: its own, or its org's org-wide
   * install. Undefined when neither is stored (or the row no longer opens).
   */
  find(query: InstallationQuery): Promise<StoredInstallation | undefined>;
  /**
   * The installation for background work keyed by tenant (an enterprise id on Grid, else a
   * team id, as credentials are): the org's install, else the workspace's, else the newest
   * workspace install inside that enterprise.
   */
  forTenant(tenantId: string): Promise<StoredInstallation | undefined>;
  /** Deletes the installations of that workspace or org; returns the tenants they served. */
  remove(query: InstallationQuery): Promise<string[]>;
  /**
   * Takes the right to refresh this installation's rotating token, once across replicas: true
   * for one caller until `leaseMs` passes or the refresh is saved.
   */
  claimRefresh(id: string, now: Date, leaseMs: number): Promise<boolean>;
  /** Stores the refreshed installation and gives the claim back. */
  saveRefreshed(id: string, installation: AnyInstallation): Promise<void>;
  releaseRefresh(id: string): Promise<void>;
  /** Installations whose rotating token expires before `before`. */
  expiringBefore(before: Date): Promise<StoredInstallation[]>;
}

interface Row {
  id: string;
  enterprise_id: string | null;
  team_id: string | null;
  is_enterprise_install: boolean;
  key_id: string;
  secret: Uint8Array;
  bot_expires_at: Date | string | null;
}

/** The row id: `E:<enterprise>` for an org-wide install, else `T:<team>`. */
export function installationId(installation: AnyInstallation): string {
  if (installation.isEnterpriseInstall && installation.enterprise?.id) {
    return `E:${installation.enterprise.id}`;
  }
  const team = installation.team?.id;
  if (!team) throw new Error('an installation without a team or enterprise id');
  return `T:${team}`;
}

/** The tenant an installation serves, keyed like credentials: enterprise id first. */
export function tenantOf(i: { enterpriseId?: string | undefined; teamId?: string | undefined }) {
  return i.enterpriseId || i.teamId || '';
}

const context = (id: string) => `slack_installation:${id}`;
const COLUMNS = 'id, enterprise_id, team_id, is_enterprise_install, key_id, secret, bot_expires_at';

export function createInstallationStore(
  db: Queryable,
  keyring: Keyring,
  now: () => Date,
): InstallationStore {
  const decode = (row: Row): StoredInstallation | undefined => {
    const opened = open(
      keyring,
      { keyId: row.key_id, box: Buffer.from(row.secret) },
      context(row.id),
    );
    if (!opened.ok) return undefined;
    return {
      id: row.id,
      enterpriseId: row.enterprise_id ?? undefined,
      teamId: row.team_id ?? undefined,
      isEnterpriseInstall: row.is_enterprise_install,
      installation: JSON.parse(opened.plaintext.toString('utf8')) as AnyInstallation,
      botExpiresAt: row.bot_expires_at ? new Date(row.bot_expires_at) : undefined,
    };
  };
  const byId = async (id: string) => {
    const [row] = await db.query<Row>(`SELECT ${COLUMNS} FROM slack_installations WHERE id = $1`, [
      id,
    ]);
    return row ? decode(row) : undefined;
  };
  const expiry = (installation: AnyInstallation) =>
    installation.bot?.expiresAt ? new Date(installation.bot.expiresAt * 1000) : null;
  const write = async (id: string, installation: AnyInstallation) => {
    const sealed = seal(keyring, Buffer.from(JSON.stringify(installation), 'utf8'), context(id));
    await db.query(
      `INSERT INTO slack_installations
         (id, enterprise_id, team_id, is_enterprise_install, key_id, secret, bot_expires_at,
          installed_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
       ON CONFLICT (id) DO UPDATE SET enterprise_id = EXCLUDED.enterprise_id,
         team_id = EXCLUDED.team_id, is_enterprise_install = EXCLUDED.is_enterprise_install,
         key_id = EXCLUDED.key_id, secret = EXCLUDED.secret,
         bot_expires_at = EXCLUDED.bot_expires_at, refresh_claimed_until = NULL,
         updated_at = EXCLUDED.updated_at`,
      [
        id,
        installation.enterprise?.id ?? null,
        installation.isEnterpriseInstall ? null : (installation.team?.id ?? null),
        installation.isEnterpriseInstall === true,
        sealed.keyId,
        sealed.box,
        expiry(installation),
        now(),
      ],
    );
  };

  return {
    async save(installation) {
      const id = installationId(installation);
      await write(id, installation);
      const saved = await byId(id);
      if (!saved) throw new Error('the installation just saved does not open');
      return saved;
    },

    async find(query) {
      if (query.isEnterpriseInstall && query.enterpriseId) return byId(`E:${query.enterpriseId}`);
      const own = query.teamId ? await byId(`T:${query.teamId}`) : undefined;
      if (own) return own;
      return query.enterpriseId ? byId(`E:${query.enterpriseId}`) : undefined;
    },

    async forTenant(tenantId) {
      const direct = (await byId(`E:${tenantId}`)) ?? (await byId(`T:${tenantId}`));
      if (direct) return direct;
      const [row] = await db.query<Row>(
        `SELECT ${COLUMNS} FROM slack_installations WHERE enterprise_id = $1
          ORDER BY updated_at DESC LIMIT 1`,
        [tenantId],
      );
      return row ? decode(row) : undefined;
    },

    async remove(query) {
      const rows = query.isEnterpriseInstall
        ? await db.query<Row>(
            `DELETE FROM slack_installations WHERE id = $1 RETURNING ${COLUMNS}`,
            [`E:${query.enterpriseId ?? ''}`],
          )
        : await db.query<Row>(
            `DELETE FROM slack_installations WHERE id = $1 RETURNING ${COLUMNS}`,
            [`T:${query.teamId ?? ''}`],
          );
      return rows.map((r) =>
        tenantOf({ enterpriseId: r.enterprise_id ?? undefined, teamId: r.team_id ?? undefined }),
      );
    },

    async claimRefresh(id, at, leaseMs) {
      const rows = await db.query(
        `UPDATE slack_installations SET refresh_claimed_until = $2
          WHERE id = $1 AND (refresh_claimed_until IS NULL OR refresh_claimed_until < $3)
          RETURNING 1`,
        [id, new Date(at.getTime() + leaseMs), at],
      );
      return rows.length > 0;
    },

    async saveRefreshed(id, installation) {
      await write(id, installation);
    },

    async releaseRefresh(id) {
      await db.query('UPDATE slack_installations SET refresh_claimed_until = NULL WHERE id = $1', [
        id,
      ]);
    },

    async expiringBefore(before) {
      const rows = await db.query<Row>(
        `SELECT ${COLUMNS} FROM slack_installations WHERE bot_expires_at < $1`,
        [before],
      );
      return rows.flatMap((r) => decode(r) ?? []);
    },
  };
}
