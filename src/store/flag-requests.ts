// Trust-flag requests (issue 20) and the record of every step they took. Each decision is one
// conditional UPDATE out of 'open', so whichever steward, replica or timer gets there first wins
// and everyone else sees that it was already decided.
import { randomUUID } from 'node:crypto';
import type { FlagType } from '../client/alation.ts';
import type { Owner } from './credentials.ts';
import type { Queryable } from './db.ts';
import {
  date,
  type FlagRequest,
  type FlagRequestEvent,
  type FlagRequestEventKind,
  type Reviewer,
  type Row,
  toRequest,
} from './flag-request-record.ts';

export type {
  FlagRequest,
  FlagRequestEvent,
  FlagRequestEventKind,
  FlagRequestStatus,
  Reviewer,
} from './flag-request-record.ts';

export interface NewFlagRequest {
  requester: Owner;
  subject: { otype: string; id: number; name?: string | undefined };
  flagType: FlagType;
  reason: string;
  reviewer: Reviewer;
}

/** When an unanswered request reminds its reviewer, and when it expires. */
export interface FlagRequestTimes {
  remindAfterMs: number;
  expireAfterMs: number;
}

export const DEFAULT_FLAG_REQUEST_TIMES: FlagRequestTimes = {
  remindAfterMs: 2 * 86_400_000,
  expireAfterMs: 14 * 86_400_000,
};

/** How long a decision may hold its claim while it asks Alation before another may take over. */
export const CLAIM_STALE_MS = 120_000;

/**
 * A claim's answer: the request now held by the caller (and, when it took over a claim that went
 * stale, what that claimant was creating), or the request as someone else left it.
 */
export type ClaimResult =
  | { ok: true; request: FlagRequest; tookOver?: { claimedBy: string; intended: Intended } }
  | { ok: false; request: FlagRequest | undefined };

/** The flag a claimant is about to create. */
export interface Intended {
  flagType: FlagType;
  reason: string;
}

export interface Approval {
  flagId: number;
  flagType: FlagType;
  reason: string;
}

export interface FlagRequestStore {
  create(input: NewFlagRequest, now: Date, times?: FlagRequestTimes): Promise<FlagRequest>;
  /** Forgets a request whose card could not be delivered (nobody ever saw it). */
  discard(id: string): Promise<void>;
  setCard(id: string, card: { channelId: string; ts: string }): Promise<void>;
  setReceipt(id: string, receipt: { channelId: string; ts: string }): Promise<void>;
  get(id: string): Promise<FlagRequest | undefined>;
  /**
   * Takes the decision for `actorId` before Alation is called: open → deciding, in one UPDATE,
   * so of two stewards pressing Approve at once exactly one gets `ok`. A claim older than
   * CLAIM_STALE_MS is taken over. `intended` is kept with the claim for whoever takes it over.
   */
  claim(id: string, actorId: string, now: Date, intended: Intended): Promise<ClaimResult>;
  /** Alation refused the claimant: the request is open again, with the refusal recorded. */
  release(
    id: string,
    actorId: string,
    refusal: string,
    now: Date,
  ): Promise<FlagRequest | undefined>;
  /**
   * The claimant's flag exists: the request is approved, and it says which flag. `decidedBy` is
   * the claimant unless it adopts the flag an interrupted claimant created.
   */
  approve(
    id: string,
    actorId: string,
    approval: Approval,
    now: Date,
    decidedBy?: string,
  ): Promise<FlagRequest | undefined>;
  /** open → denied, with the reason; undefined when it was no longer open. */
  deny(id: string, actorId: string, note: string, now: Date): Promise<FlagRequest | undefined>;
  /** open → withdrawn, only by the requester. */
  withdraw(id: string, requester: Owner, now: Date): Promise<FlagRequest | undefined>;
  /** The one reminder: set only if the request is open and was not reminded yet. */
  remind(id: string, now: Date): Promise<FlagRequest | undefined>;
  /** open (or a stale claim) → expired. */
  expire(id: string, now: Date): Promise<FlagRequest | undefined>;
  /** A question was asked on an open request. */
  recordQuestion(id: string, actorId: string, question: string, now: Date): Promise<void>;
  /** Requests `owner` made (newest first) and open ones addressed to them personally. */
  /**
   * What `owner` asked for, and what waits for their decision: sent to them, or to one of
   * `channelIds` (the stewards' channels they are in).
   */
  listFor(
    owner: Owner,
    limit?: number,
    channelIds?: readonly string[],
  ): Promise<{ mine: FlagRequest[]; waiting: FlagRequest[] }>;
  /** Channels with open requests waiting in them, in a workspace. */
  openReviewChannels(tenantId: string): Promise<string[]>;
  events(id: string): Promise<FlagRequestEvent[]>;
}

export function createFlagRequestStore(db: Queryable): FlagRequestStore {
  const event = (
    id: string,
    at: Date,
    actorId: string | null,
    kind: FlagRequestEventKind,
    extra: { flagId?: number; flagType?: FlagType; detail?: string } = {},
  ) =>
    db.query(
      `INSERT INTO flag_request_events (request_id, at, actor_id, event, flag_id, flag_type, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [id, at, actorId, kind, extra.flagId ?? null, extra.flagType ?? null, extra.detail ?? null],
    );
  const one = async (sql: string, params: unknown[]) => {
    const [row] = await db.query<Row>(sql, params);
    return row ? toRequest(row) : undefined;
  };
  const get = (id: string) => one('SELECT * FROM flag_requests WHERE id = $1', [id]);
  return {
    async create(input, now, times = DEFAULT_FLAG_REQUEST_TIMES) {
      const id = randomUUID();
      const reviewer = input.reviewer;
      const created = await one(
        `INSERT INTO flag_requests (id, tenant_id, requester_id, subject_otype, subject_id,
                                    subject_name, flag_type, reason, reviewer_user_id,
                                    reviewer_channel_id, status, created_at, remind_at, expires_at,
                                    team_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'open', $11, $12, $13, $14) RETURNING *`,
        [
          id,
          input.requester.tenantId,
          input.requester.userId,
          input.subject.otype,
          input.subject.id,
          input.subject.name ?? null,
          input.flagType,
          input.reason,
          'userId' in reviewer ? reviewer.userId : null,
          'channelId' in reviewer ? reviewer.channelId : null,
          now,
          new Date(now.getTime() + times.remindAfterMs),
          new Date(now.getTime() + times.expireAfterMs),
          input.requester.teamId ?? null,
        ],
      );
      if (!created) throw new Error('flag request not created');
      await event(id, now, input.requester.userId, 'requested', {
        flagType: input.flagType,
        ...(input.reason ? { detail: input.reason } : {}),
      });
      return created;
    },
    async discard(id) {
      await db.query('DELETE FROM flag_requests WHERE id = $1', [id]);
    },
    async setCard(id, card) {
      await db.query('UPDATE flag_requests SET card_channel_id = $2, card_ts = $3 WHERE id = $1', [
        id,
        card.channelId,
        card.ts,
      ]);
    },
    async setReceipt(id, receipt) {
      await db.query(
        'UPDATE flag_requests SET receipt_channel_id = $2, receipt_ts = $3 WHERE id = $1',
        [id, receipt.channelId, receipt.ts],
      );
    },
    get,
    async claim(id, actorId, now, intended) {
      const stale = new Date(now.getTime() - CLAIM_STALE_MS);
      // FOR UPDATE makes a concurrent claim wait and then see this one; the UPDATE re-checks
      // the row it writes, so of two claims at once exactly one matches.
      const [row] = await db.query<
        Row & { prev_by: string | null; prev_type: FlagType | null; prev_reason: string | null }
      >(
        `WITH prev AS (
           SELECT id, status, claimed_by, claimed_flag_type, claimed_reason FROM flag_requests
            WHERE id = $1 FOR UPDATE)
         UPDATE flag_requests f SET status = 'deciding', claimed_by = $2, claimed_at = $3,
                claimed_flag_type = $5, claimed_reason = $6
           FROM prev
          WHERE f.id = prev.id AND (f.status = 'open' OR (f.status = 'deciding' AND f.claimed_at < $4))
          RETURNING f.*, CASE WHEN prev.status = 'deciding' THEN prev.claimed_by END AS prev_by,
                    prev.claimed_flag_type AS prev_type, prev.claimed_reason AS prev_reason`,
        [id, actorId, now, stale, intended.flagType, intended.reason],
      );
      if (!row) return { ok: false, request: await get(id) };
      const request = toRequest(row);
      return row.prev_by && row.prev_type
        ? {
            ok: true,
            request,
            tookOver: {
              claimedBy: row.prev_by,
              intended: { flagType: row.prev_type, reason: row.prev_reason ?? '' },
            },
          }
        : { ok: true, request };
    },
    async release(id, actorId, refusal, now) {
      const released = await one(
        `UPDATE flag_requests SET status = 'open', claimed_by = NULL, claimed_at = NULL,
                last_refusal = $3
          WHERE id = $1 AND status = 'deciding' AND claimed_by = $2 RETURNING *`,
        [id, actorId, refusal],
      );
      if (released) await event(id, now, actorId, 'refused', { detail: refusal });
      return released;
    },
    async approve(id, actorId, approval, now, decidedBy = actorId) {
      const approved = await one(
        `UPDATE flag_requests SET status = 'approved', decided_by = $7, decided_at = $3,
                flag_id = $4, final_flag_type = $5, final_reason = $6, claimed_at = NULL
          WHERE id = $1 AND status = 'deciding' AND claimed_by = $2 RETURNING *`,
        [id, actorId, now, approval.flagId, approval.flagType, approval.reason, decidedBy],
      );
      if (approved) {
        await event(id, now, decidedBy, 'approved', {
          flagId: approval.flagId,
          flagType: approval.flagType,
          ...(approval.reason ? { detail: approval.reason } : {}),
        });
      }
      return approved;
    },
    async deny(id, actorId, note, now) {
      const denied = await one(
        `UPDATE flag_requests SET status = 'denied', decided_by = $2, decided_at = $3,
                decision_note = $4
          WHERE id = $1 AND status = 'open' RETURNING *`,
        [id, actorId, now, note],
      );
      if (denied) await event(id, now, actorId, 'denied', { detail: note });
      return denied;
    },
    async withdraw(id, requester, now) {
      const withdrawn = await one(
        `UPDATE flag_requests SET status = 'withdrawn', decided_by = $3, decided_at = $4
          WHERE id = $1 AND tenant_id = $2 AND requester_id = $3 AND status = 'open' RETURNING *`,
        [id, requester.tenantId, requester.userId, now],
      );
      if (withdrawn) await event(id, now, requester.userId, 'withdrawn');
      return withdrawn;
    },
    async remind(id, now) {
      const reminded = await one(
        `UPDATE flag_requests SET reminded_at = $2
          WHERE id = $1 AND status = 'open' AND reminded_at IS NULL AND remind_at <= $2
          RETURNING *`,
        [id, now],
      );
      if (reminded) await event(id, now, null, 'reminded');
      return reminded;
    },
    async expire(id, now) {
      const expired = await one(
        `UPDATE flag_requests SET status = 'expired', decided_at = $2, claimed_by = NULL
          WHERE id = $1 AND expires_at <= $2
            AND (status = 'open' OR (status = 'deciding' AND claimed_at < $3))
          RETURNING *`,
        [id, now, new Date(now.getTime() - CLAIM_STALE_MS)],
      );
      if (expired) await event(id, now, null, 'expired');
      return expired;
    },
    async recordQuestion(id, actorId, question, now) {
      await event(id, now, actorId, 'asked', { detail: question });
    },
    async listFor(owner, limit = 10, channelIds = []) {
      const [mine, waiting] = await Promise.all([
        db.query<Row>(
          `SELECT * FROM flag_requests WHERE tenant_id = $1 AND requester_id = $2
            ORDER BY (status IN ('open', 'deciding')) DESC, created_at DESC LIMIT $3`,
          [owner.tenantId, owner.userId, limit],
        ),
        db.query<Row>(
          `SELECT * FROM flag_requests WHERE tenant_id = $1
              AND (reviewer_user_id = $2 OR reviewer_channel_id = ANY($4::text[]))
              AND requester_id <> $2
              AND status IN ('open', 'deciding')
            ORDER BY created_at LIMIT $3`,
          [owner.tenantId, owner.userId, limit, [...channelIds]],
        ),
      ]);
      return { mine: mine.map(toRequest), waiting: waiting.map(toRequest) };
    },
    async openReviewChannels(tenantId) {
      const rows = await db.query<{ channel: string }>(
        `SELECT DISTINCT reviewer_channel_id AS channel FROM flag_requests
          WHERE tenant_id = $1 AND reviewer_channel_id IS NOT NULL AND status IN ('open', 'deciding')`,
        [tenantId],
      );
      return rows.map((r) => r.channel);
    },
    async events(id) {
      const rows = await db.query<{
        at: Date | string;
        actor_id: string | null;
        event: FlagRequestEventKind;
        flag_id: string | number | null;
        flag_type: FlagType | null;
        detail: string | null;
      }>(
        'SELECT at, actor_id, event, flag_id, flag_type, detail FROM flag_request_events WHERE request_id = $1 ORDER BY id',
        [id],
      );
      return rows.map((r) => ({
        at: date(r.at),
        actorId: r.actor_id,
        event: r.event,
        flagId: r.flag_id === null ? null : Number(r.flag_id),
        flagType: r.flag_type,
        detail: r.detail,
      }));
    },
  };
}
