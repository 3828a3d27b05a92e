// What happens to a workspace's (or org's) stored work when the app is uninstalled or a member
// is deactivated: digests and alerts paused with a reason, job watches stopped, credentials
// deleted (a member's at once; a workspace's after the retention period), and undone on
// reinstall. Plain SQL over the feature tables so each feature's store stays as it is.
import type { Owner } from './credentials.ts';
import type { Queryable } from './db.ts';

/** How long a workspace's stored Alation and Mode credentials are kept after an uninstall. */
export const UNINSTALL_RETENTION_DAYS = 30;
const DAY_MS = 86_400_000;

/** Why a digest or alert was paused by a lifecycle event (shown in the lists). */
export const PAUSE_REASONS = {
  uninstalled: 'app_uninstalled',
  installationGone: 'installation_gone',
  deactivated: 'creator_deactivated',
} as const;

export interface PausedDigest {
  id: string;
  channelId: string;
  name: string;
}

export interface TenantLifecycle {
  /**
   * The app left this tenant: pauses its active digests and alerts, stops its job watches, and
   * schedules its credentials' deletion after the retention period. Returns the digests paused.
   */
  uninstalled(tenantId: string, now: Date): Promise<PausedDigest[]>;
  /** Reinstalled: cancels the pending deletion and resumes what the uninstall paused. */
  reinstalled(tenantId: string): Promise<PausedDigest[]>;
  /** Deletes credentials of tenants uninstalled longer than the retention period ago. */
  purgeDue(now: Date): Promise<{ tenants: number; credentials: number }>;
  /** A deactivated member: credentials deleted, their digests and alerts paused, watches stopped. */
  memberLeft(
    owner: Owner,
  ): Promise<{ credentials: number; digests: PausedDigest[]; alerts: number; watches: number }>;
  /** Pauses one digest whose workspace has no installation any more. */
  pauseDigest(digestId: string, reason: string): Promise<boolean>;
}

interface DigestRow {
  id: string;
  channel_id: string;
  name: string;
}

const paused = (rows: DigestRow[]): PausedDigest[] =>
  rows.map((r) => ({ id: r.id, channelId: r.channel_id, name: r.name }));

export function createTenantLifecycle(db: Queryable): TenantLifecycle {
  return {
    async uninstalled(tenantId, now) {
      const reason = PAUSE_REASONS.uninstalled;
      const digests = await db.query<DigestRow>(
        `UPDATE digests SET status = 'paused', paused_reason = $2, updated_at = now()
          WHERE tenant_id = $1 AND status = 'active' RETURNING id, channel_id, name`,
        [tenantId, reason],
      );
      await db.query(
        `UPDATE alerts SET status = 'paused', paused_reason = $2, updated_at = now()
          WHERE tenant_id = $1 AND status = 'active'`,
        [tenantId, reason],
      );
      await db.query(
        `UPDATE job_watches SET status = 'stopped', updated_at = now()
          WHERE tenant_id = $1 AND status = 'watching'`,
        [tenantId],
      );
      await db.query(
        `INSERT INTO slack_uninstalls (tenant_id, uninstalled_at, purge_after) VALUES ($1, $2, $3)
         ON CONFLICT (tenant_id) DO NOTHING`,
        [tenantId, now, new Date(now.getTime() + UNINSTALL_RETENTION_DAYS * DAY_MS)],
      );
      return paused(digests);
    },

    async reinstalled(tenantId) {
      await db.query('DELETE FROM slack_uninstalls WHERE tenant_id = $1', [tenantId]);
      const reasons = [PAUSE_REASONS.uninstalled, PAUSE_REASONS.installationGone];
      const digests = await db.query<DigestRow>(
        `UPDATE digests SET status = 'active', paused_reason = NULL, consecutive_failures = 0,
                updated_at = now()
          WHERE tenant_id = $1 AND status = 'paused' AND paused_reason = ANY($2)
          RETURNING id, channel_id, name`,
        [tenantId, reasons],
      );
      await db.query(
        `UPDATE alerts SET status = 'active', paused_reason = NULL, consecutive_failures = 0,
                updated_at = now()
          WHERE tenant_id = $1 AND status = 'paused' AND paused_reason = ANY($2)`,
        [tenantId, reasons],
      );
      return paused(digests);
    },

    async purgeDue(now) {
      const due = await db.query<{ tenant_id: string }>(
        `DELETE FROM slack_uninstalls WHERE purge_after <= $1 RETURNING tenant_id`,
        [now],
      );
      let credentials = 0;
      for (const { tenant_id } of due) {
        const gone = await db.query('DELETE FROM credentials WHERE tenant_id = $1 RETURNING 1', [
          tenant_id,
        ]);
        await db.query('DELETE FROM oauth_states WHERE tenant_id = $1', [tenant_id]);
        credentials += gone.length;
      }
      return { tenants: due.length, credentials };
    },

    async memberLeft(owner) {
      const params = [owner.tenantId, owner.userId];
      const credentials = await db.query(
        'DELETE FROM credentials WHERE tenant_id = $1 AND user_id = $2 RETURNING 1',
        params,
      );
      await db.query('DELETE FROM oauth_states WHERE tenant_id = $1 AND user_id = $2', params);
      const digests = await db.query<DigestRow>(
        `UPDATE digests SET status = 'paused', paused_reason = $3, updated_at = now()
          WHERE tenant_id = $1 AND user_id = $2 AND status = 'active'
          RETURNING id, channel_id, name`,
        [...params, PAUSE_REASONS.deactivated],
      );
      const alerts = await db.query(
        `UPDATE alerts SET status = 'paused', paused_reason = $3, updated_at = now()
          WHERE tenant_id = $1 AND user_id = $2 AND status = 'active' RETURNING 1`,
        [...params, PAUSE_REASONS.deactivated],
      );
      const watches = await db.query(
        `UPDATE job_watches SET status = 'stopped', updated_at = now()
          WHERE tenant_id = $1 AND user_id = $2 AND status = 'watching' RETURNING 1`,
        params,
      );
      return {
        credentials: credentials.length,
        digests: paused(digests),
        alerts: alerts.length,
        watches: watches.length,
      };
    },

    async pauseDigest(digestId, reason) {
      const rows = await db.query(
        `UPDATE digests SET status = 'paused', paused_reason = $2, updated_at = now()
          WHERE id = $1 AND status = 'active' RETURNING 1`,
        [digestId, reason],
      );
      return rows.length > 0;
    },
  };
}
