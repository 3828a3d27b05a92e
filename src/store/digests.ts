import { randomUUID } from 'node:crypto';
import type { Owner } from './credentials.ts';
import type { Queryable } from './db.ts';
import { type ClaimResult, createSlotClaims } from './slot-claims.ts';

export type DigestKind = 'query_result' | 'failed_runs' | 'flag_changes' | 'mode_runs';

/** Kind-specific settings, as the modal collected them. */
export type DigestParams =
  | {
      kind: 'query_result';
      queryId: number;
      attachCsv: boolean;
      onlyIfChanged: boolean;
      /** Post a chart with the result (issue 16); kept in its own column, true unless unset. */
      includeChart?: boolean;
      /** To each subscriber, as themselves (issue 18); its own column, false unless set. */
      personal?: boolean;
    }
  | { kind: 'failed_runs'; datasourceId?: number; queryId?: number }
  | {
      kind: 'flag_changes';
      onlyWarnings: boolean;
      subject?: { otype: string; id: number };
    }
  | {
      kind: 'mode_runs';
      workspace: string;
      report: string;
      /** One report run to follow; without it, every run of the report that finished. */
      run?: string;
      only?: 'failed' | 'succeeded';
    };

export type DigestStatus = 'active' | 'paused';
/** What a digest's last run did, as recorded (a run's own outcome is digests/deliver.ts'). */
export type RecordedOutcome = 'posted' | 'skipped' | 'failed';

export interface Digest {
  id: string;
  /** The creator: the digest runs with their credentials, and hears about its problems. */
  owner: Owner;
  channelId: string;
  name: string;
  params: DigestParams;
  cron: string;
  tz: string;
  status: DigestStatus;
  pausedReason: string | null;
  consecutiveFailures: number;
  sinceAt: Date;
  lastRunAt: Date | null;
  lastOutcome: RecordedOutcome | null;
  lastDetail: string | null;
  lastFingerprint: string | null;
  /** The audience check's finding when saved (issue 18), bot-written mrkdwn. */
  audienceNote?: string | null;
  createdAt: Date;
}

interface Row {
  id: string;
  tenant_id: string;
  team_id?: string | null;
  user_id: string;
  channel_id: string;
  name: string;
  kind: DigestKind;
  params: Record<string, unknown> | string;
  cron: string;
  tz: string;
  status: DigestStatus;
  paused_reason: string | null;
  consecutive_failures: number;
  since_at: Date | string;
  last_run_at: Date | string | null;
  last_outcome: RecordedOutcome | null;
  last_detail: string | null;
  last_fingerprint: string | null;
  include_chart?: boolean;
  personal?: boolean;
  audience_note?: string | null;
  created_at: Date | string;
}

/** The params as stored in jsonb, and the chart option as stored in its column. */
function split(input: DigestParams): {
  kind: DigestKind;
  json: string;
  includeChart: boolean;
  personal: boolean;
} {
  const { kind, ...params } = input;
  const { includeChart, personal, ...rest } = params as {
    includeChart?: boolean;
    personal?: boolean;
  };
  return {
    kind,
    json: JSON.stringify(rest),
    includeChart: includeChart !== false,
    personal: personal === true,
  };
}

const date = (v: Date | string) => new Date(v);

function toDigest(r: Row): Digest {
  const params = typeof r.params === 'string' ? JSON.parse(r.params) : r.params;
  return {
    id: r.id,
    owner: {
      tenantId: r.tenant_id,
      userId: r.user_id,
      ...(r.team_id ? { teamId: r.team_id } : {}),
    },
    channelId: r.channel_id,
    name: r.name,
    params: {
      ...params,
      kind: r.kind,
      ...(r.kind === 'query_result'
        ? { includeChart: r.include_chart !== false, personal: r.personal === true }
        : {}),
    } as DigestParams,
    cron: r.cron,
    tz: r.tz,
    status: r.status,
    pausedReason: r.paused_reason,
    consecutiveFailures: r.consecutive_failures,
    sinceAt: date(r.since_at),
    lastRunAt: r.last_run_at === null ? null : date(r.last_run_at),
    lastOutcome: r.last_outcome,
    lastDetail: r.last_detail,
    lastFingerprint: r.last_fingerprint,
    audienceNote: r.audience_note ?? null,
    createdAt: date(r.created_at),
  };
}

export interface DigestInput {
  owner: Owner;
  channelId: string;
  name: string;
  params: DigestParams;
  cron: string;
  tz: string;
}

export interface DeliveryResult {
  outcome: RecordedOutcome;
  detail: string | null;
  /** Set on success: the next period starts here. */
  periodEnd?: Date;
  fingerprint?: string;
}

export type { ClaimResult } from './slot-claims.ts';

export interface DigestStore {
  create(input: DigestInput, now: Date): Promise<Digest>;
  get(id: string): Promise<Digest | undefined>;
  /** Changes what, where and when; the owner stays. */
  update(id: string, input: Omit<DigestInput, 'owner'>): Promise<Digest | undefined>;
  remove(id: string): Promise<boolean>;
  list(tenantId: string): Promise<Digest[]>;
  setStatus(id: string, status: DigestStatus, reason: string | null): Promise<Digest | undefined>;
  /**
   * Takes (digest, slot) for the caller: `claimed` once per slot. A claim left by a replica that
   * died mid-run (older than `leaseMs`, never finished) can be taken over; until then it is
   * `busy` (the holder may still be working), and a finished slot is `finished`.
   */
  claim(id: string, slot: string, now: Date, leaseMs: number): Promise<ClaimResult>;
  /**
   * Keeps a claim fresh while its run goes on: moves `claimed_at` from `heldSince` (what this
   * holder last wrote) to `now`. False when the claim is no longer this holder's (taken over
   * after its lease ran out, or finished), so the run must not post.
   */
  renew(id: string, slot: string, heldSince: Date, now: Date): Promise<boolean>;
  /**
   * Gives a claim back so a retry can take it (a passing upstream failure); only while it is
   * still the one written at `heldSince`, never a claim another replica has taken over.
   */
  release(id: string, slot: string, heldSince: Date): Promise<void>;
  /**
   * Records how a claimed slot ended. Failures count up; at `pauseAfter` in a row the digest is
   * paused. Returns the digest as it now is (undefined if it was deleted meanwhile).
   */
  finish(
    id: string,
    slot: string,
    result: DeliveryResult,
    now: Date,
    pauseAfter: number,
  ): Promise<Digest | undefined>;
  deliveries(id: string): Promise<{ slot: string; status: string }[]>;
  /** Records what the audience check found (null: nothing to say). */
  setAudienceNote(id: string, note: string | null): Promise<void>;
}

export function createDigestStore(db: Queryable): DigestStore {
  const claims = createSlotClaims(db, { table: 'digest_deliveries', owner: 'digest_id' });
  return {
    async create(input, now) {
      const { kind, json, includeChart, personal } = split(input.params);
      const [row] = await db.query<Row>(
        `INSERT INTO digests (id, tenant_id, user_id, channel_id, name, kind, params, cron, tz,
                              status, since_at, include_chart, personal, team_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, 'active', $10, $11, $12, $13) RETURNING *`,
        [
          randomUUID(),
          input.owner.tenantId,
          input.owner.userId,
          input.channelId,
          input.name,
          kind,
          json,
          input.cron,
          input.tz,
          now,
          includeChart,
          personal,
          input.owner.teamId ?? null,
        ],
      );
      if (!row) throw new Error('digest not created');
      return toDigest(row);
    },
    async get(id) {
      const [row] = await db.query<Row>('SELECT * FROM digests WHERE id = $1', [id]);
      return row ? toDigest(row) : undefined;
    },
    async update(id, input) {
      const { kind, json, includeChart, personal } = split(input.params);
      const [row] = await db.query<Row>(
        `UPDATE digests SET channel_id = $2, name = $3, kind = $4, params = $5::jsonb, cron = $6,
                tz = $7, include_chart = $8, personal = $9, last_fingerprint = NULL,
                updated_at = now()
          WHERE id = $1 RETURNING *`,
        [id, input.channelId, input.name, kind, json, input.cron, input.tz, includeChart, personal],
      );
      return row ? toDigest(row) : undefined;
    },
    async remove(id) {
      const rows = await db.query('DELETE FROM digests WHERE id = $1 RETURNING 1', [id]);
      return rows.length > 0;
    },
    async list(tenantId) {
      const rows = await db.query<Row>(
        'SELECT * FROM digests WHERE tenant_id = $1 ORDER BY created_at, id',
        [tenantId],
      );
      return rows.map(toDigest);
    },
    async setStatus(id, status, reason) {
      const [row] = await db.query<Row>(
        `UPDATE digests SET status = $2, paused_reason = $3,
                consecutive_failures = CASE WHEN $2 = 'active' THEN 0 ELSE consecutive_failures END,
                updated_at = now()
          WHERE id = $1 RETURNING *`,
        [id, status, reason],
      );
      return row ? toDigest(row) : undefined;
    },
    claim: (id, slot, now, leaseMs) => claims.claim(id, slot, now, leaseMs),
    renew: (id, slot, heldSince, now) => claims.renew(id, slot, heldSince, now),
    release: (id, slot, heldSince) => claims.release(id, slot, heldSince),
    async finish(id, slot, result, now, pauseAfter) {
      await claims.finish(id, slot, result.outcome, now, result.detail);
      const failed = result.outcome === 'failed';
      const [row] = await db.query<Row>(
        `UPDATE digests SET
            last_run_at = $2, last_outcome = $3, last_detail = $4,
            consecutive_failures = CASE WHEN $5 THEN consecutive_failures + 1 ELSE 0 END,
            status = CASE WHEN $5 AND consecutive_failures + 1 >= $6 THEN 'paused' ELSE status END,
            paused_reason = CASE WHEN $5 AND consecutive_failures + 1 >= $6 THEN $4 ELSE paused_reason END,
            -- Never backwards: a retried older slot after a Run now must not re-cover its period.
            since_at = GREATEST(since_at, COALESCE($7, since_at)),
            last_fingerprint = COALESCE($8, last_fingerprint),
            updated_at = now()
          WHERE id = $1 RETURNING *`,
        [
          id,
          now,
          result.outcome,
          result.detail,
          failed,
          pauseAfter,
          result.periodEnd ?? null,
          result.fingerprint ?? null,
        ],
      );
      return row ? toDigest(row) : undefined;
    },
    deliveries: (id) => claims.list(id),
    async setAudienceNote(id, note) {
      await db.query('UPDATE digests SET audience_note = $2 WHERE id = $1', [id, note]);
    },
  };
}
