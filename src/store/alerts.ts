// Alerts and what each check leaves for the next (issue 17). The condition and the episode are
// stored as the domain wrote them (alerts/condition.ts, alerts/episode.ts), which checks them.
import { randomUUID } from 'node:crypto';
import type { Condition } from '../alerts/condition.ts';
import type { Episode } from '../alerts/episode.ts';
import type { Owner } from './credentials.ts';
import type { Queryable } from './db.ts';
import { createSlotClaims, type SlotClaims } from './slot-claims.ts';

export const CHECK_EVERY_MINUTES = [1, 5, 15, 60] as const;
export type CheckEvery = (typeof CHECK_EVERY_MINUTES)[number];
export type AlertStatus = 'active' | 'muted' | 'paused';
/** What the last check found: clear, holding, failing, or the first result taken as a baseline. */
export type CheckState = 'clear' | 'triggered' | 'failing' | 'baseline';

export interface Alert {
  id: string;
  /** The creator: checks read Alation with their credentials, and they hear of problems. */
  owner: Owner;
  channelId: string;
  onlyMe: boolean;
  /** To each subscriber, as themselves (issue 18): the channel gets no data, each a DM. */
  personal: boolean;
  /** What the audience check found when saved into a channel (issue 18), or null. */
  audienceNote: string | null;
  /** The creator's Slack time zone when saved, for the card's times. */
  tz: string;
  name: string;
  queryId: number;
  condition: Condition;
  everyMinutes: CheckEvery;
  status: AlertStatus;
  pausedReason: string | null;
  consecutiveFailures: number;
  snoozedUntil: Date | null;
  /** Who pressed Snooze (shown on the card). */
  snoozedBy: string | null;
  episode: Episode | null;
  lastResult: string | null;
  lastCheckedAt: Date | null;
  lastState: CheckState | null;
  lastValue: number | null;
  lastFingerprint: string | null;
  createdAt: Date;
}

export interface AlertInput {
  owner: Owner;
  channelId: string;
  onlyMe: boolean;
  personal?: boolean;
  tz: string;
  name: string;
  queryId: number;
  condition: Condition;
  everyMinutes: CheckEvery;
}

/** What a finished check writes back (the claim's own row records its outcome). */
export interface CheckRecord {
  result: string;
  state: CheckState;
  value?: number;
  fingerprint?: string;
  episode: Episode | null;
  /** Failures count up; at the store's `pauseAfter` in a row the alert is paused with `detail`. */
  failed: boolean;
  detail: string | null;
}

export interface AlertStore extends Pick<SlotClaims, 'claim' | 'renew' | 'release'> {
  create(input: AlertInput, now: Date): Promise<Alert>;
  get(id: string): Promise<Alert | undefined>;
  update(id: string, input: Omit<AlertInput, 'owner'>): Promise<Alert | undefined>;
  remove(id: string): Promise<boolean>;
  /** A workspace's alerts, oldest first (callers keep those of one person). */
  list(tenantId: string): Promise<Alert[]>;
  /** Every active alert, for the minute tick. */
  listActive(): Promise<Alert[]>;
  setStatus(id: string, status: AlertStatus, reason: string | null): Promise<Alert | undefined>;
  snooze(id: string, until: Date | null, by?: string | null): Promise<Alert | undefined>;
  setAudienceNote(id: string, note: string | null): Promise<void>;
  /** Writes the episode only if it is still the one read (`expectedStartedAt`): no lost update. */
  setEpisode(
    id: string,
    episode: Episode | null,
    expectedStartedAt: string | null,
  ): Promise<boolean>;
  /** Hashed keys of the last judged result (12-byte base64url strings), or none yet. */
  keys(id: string): Promise<Set<string> | undefined>;
  setKeys(id: string, keys: string[], capped: boolean): Promise<void>;
  /** Records a claimed check: its slot's outcome and the alert's new state, in one go. */
  finish(
    id: string,
    slot: string,
    record: CheckRecord,
    now: Date,
    pauseAfter: number,
  ): Promise<Alert | undefined>;
  checks(id: string): Promise<{ slot: string; status: string }[]>;
}

interface Row {
  id: string;
  tenant_id: string;
  team_id?: string | null;
  user_id: string;
  channel_id: string;
  only_me: boolean;
  personal?: boolean | null;
  audience_note?: string | null;
  tz: string;
  name: string;
  query_id: number;
  condition: Condition | string;
  every_minutes: number;
  status: AlertStatus;
  paused_reason: string | null;
  consecutive_failures: number;
  snoozed_until: Date | string | null;
  snoozed_by: string | null;
  episode: Episode | string | null;
  last_result: string | null;
  last_checked_at: Date | string | null;
  last_state: CheckState | null;
  last_value: number | null;
  last_fingerprint: string | null;
  created_at: Date | string;
}

const date = (v: Date | string | null) => (v === null ? null : new Date(v));
const json = <T>(v: T | string) => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

function toAlert(r: Row): Alert {
  return {
    id: r.id,
    owner: {
      tenantId: r.tenant_id,
      userId: r.user_id,
      ...(r.team_id ? { teamId: r.team_id } : {}),
    },
    channelId: r.channel_id,
    onlyMe: r.only_me,
    personal: r.personal === true,
    audienceNote: r.audience_note ?? null,
    tz: r.tz,
    name: r.name,
    queryId: r.query_id,
    condition: json(r.condition),
    everyMinutes: r.every_minutes as CheckEvery,
    status: r.status,
    pausedReason: r.paused_reason,
    consecutiveFailures: r.consecutive_failures,
    snoozedUntil: date(r.snoozed_until),
    snoozedBy: r.snoozed_by,
    episode: r.episode === null ? null : json(r.episode),
    lastResult: r.last_result,
    lastCheckedAt: date(r.last_checked_at),
    lastState: r.last_state,
    lastValue: r.last_value === null ? null : Number(r.last_value),
    lastFingerprint: r.last_fingerprint,
    createdAt: new Date(r.created_at),
  };
}

const KEY_BYTES = 12;

export function createAlertStore(db: Queryable): AlertStore {
  const claims = createSlotClaims(db, { table: 'alert_checks', owner: 'alert_id' });
  const one = async (sql: string, params: unknown[]) => {
    const [row] = await db.query<Row>(sql, params);
    return row ? toAlert(row) : undefined;
  };
  return {
    claim: claims.claim,
    renew: claims.renew,
    release: claims.release,
    async create(input, now) {
      const row = await one(
        `INSERT INTO alerts (id, tenant_id, user_id, channel_id, only_me, name, query_id, condition,
           every_minutes, tz, status, created_at, updated_at, team_id, personal)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $11, 'active', $10, $10, $12, $13) RETURNING *`,
        [
          randomUUID(),
          input.owner.tenantId,
          input.owner.userId,
          input.channelId,
          input.onlyMe,
          input.name,
          input.queryId,
          JSON.stringify(input.condition),
          input.everyMinutes,
          now,
          input.tz,
          input.owner.teamId ?? null,
          input.personal === true,
        ],
      );
      if (!row) throw new Error('INSERT … RETURNING gave no row');
      return row;
    },
    get: (id) => one('SELECT * FROM alerts WHERE id = $1', [id]),
    // A changed query or condition starts over: the old baseline and episode no longer apply.
    update: (id, input) =>
      one(
        `UPDATE alerts SET channel_id = $2, only_me = $3, name = $4, query_id = $5, condition = $6,
           every_minutes = $7, tz = $8, personal = $9, audience_note = NULL,
           last_result = CASE WHEN query_id = $5 AND condition = $6::jsonb THEN last_result END,
           last_fingerprint = CASE WHEN query_id = $5 AND condition = $6::jsonb THEN last_fingerprint END,
           updated_at = now()
         WHERE id = $1 RETURNING *`,
        [
          id,
          input.channelId,
          input.onlyMe,
          input.name,
          input.queryId,
          JSON.stringify(input.condition),
          input.everyMinutes,
          input.tz,
          input.personal === true,
        ],
      ),
    async remove(id) {
      return (await db.query('DELETE FROM alerts WHERE id = $1 RETURNING 1', [id])).length > 0;
    },
    async list(tenantId) {
      const rows = await db.query<Row>(
        'SELECT * FROM alerts WHERE tenant_id = $1 ORDER BY created_at, id',
        [tenantId],
      );
      return rows.map(toAlert);
    },
    async listActive() {
      const rows = await db.query<Row>(
        "SELECT * FROM alerts WHERE status = 'active' ORDER BY created_at, id",
      );
      return rows.map(toAlert);
    },
    setStatus: (id, status, reason) =>
      one(
        `UPDATE alerts SET status = $2, paused_reason = $3,
           consecutive_failures = CASE WHEN $2 = 'active' THEN 0 ELSE consecutive_failures END,
           updated_at = now() WHERE id = $1 RETURNING *`,
        [id, status, reason],
      ),
    snooze: (id, until, by = null) =>
      one(
        'UPDATE alerts SET snoozed_until = $2, snoozed_by = $3, updated_at = now() WHERE id = $1 RETURNING *',
        [id, until, until === null ? null : by],
      ),
    async setAudienceNote(id, note) {
      await db.query('UPDATE alerts SET audience_note = $2 WHERE id = $1', [id, note]);
    },
    async setEpisode(id, episode, expectedStartedAt) {
      const rows = await db.query(
        `UPDATE alerts SET episode = $2, updated_at = now()
          WHERE id = $1 AND episode->>'startedAt' IS NOT DISTINCT FROM $3 RETURNING 1`,
        [id, episode === null ? null : JSON.stringify(episode), expectedStartedAt],
      );
      return rows.length > 0;
    },
    async keys(id) {
      const [row] = await db.query<{ keys: Uint8Array }>(
        'SELECT keys FROM alert_keys WHERE alert_id = $1',
        [id],
      );
      if (!row) return undefined;
      const bytes = Buffer.from(row.keys);
      const keys = new Set<string>();
      for (let at = 0; at + KEY_BYTES <= bytes.length; at += KEY_BYTES) {
        keys.add(bytes.subarray(at, at + KEY_BYTES).toString('base64url'));
      }
      return keys;
    },
    async setKeys(id, keys, capped) {
      const bytes = Buffer.concat(keys.map((k) => Buffer.from(k, 'base64url')));
      await db.query(
        `INSERT INTO alert_keys (alert_id, keys, capped) VALUES ($1, $2, $3)
         ON CONFLICT (alert_id) DO UPDATE SET keys = EXCLUDED.keys, capped = EXCLUDED.capped`,
        [id, bytes, capped],
      );
    },
    async finish(id, slot, record, now, pauseAfter) {
      await claims.finish(id, slot, record.failed ? 'failed' : 'posted', now, record.detail);
      return one(
        `UPDATE alerts SET
           last_result = $2, last_checked_at = $3, last_state = $4,
           last_value = COALESCE($5, last_value),
           last_fingerprint = COALESCE($6, last_fingerprint),
           episode = $7,
           consecutive_failures = CASE WHEN $8 THEN consecutive_failures + 1 ELSE 0 END,
           status = CASE WHEN $8 AND consecutive_failures + 1 >= $9 THEN 'paused' ELSE status END,
           paused_reason = CASE WHEN $8 AND consecutive_failures + 1 >= $9 THEN $10 ELSE paused_reason END,
           updated_at = now()
         WHERE id = $1 RETURNING *`,
        [
          id,
          record.result,
          now,
          record.state,
          record.value ?? null,
          record.fingerprint ?? null,
          record.episode === null ? null : JSON.stringify(record.episode),
          record.failed,
          pauseAfter,
          record.detail,
        ],
      );
    },
    checks: (id) => claims.list(id),
  };
}
