import { randomUUID } from 'node:crypto';
import type { JobResult, JobState } from '../client/alation.ts';
import type { Owner } from './credentials.ts';
import type { Queryable } from './db.ts';

export type WatchStatus = 'watching' | 'finished' | 'stopped' | 'expired' | 'lost_access' | 'gone';

/** A job is named by its integer id or its (often `#`-bearing) name, as the API returned it. */
export type JobRef = { id: number } | { name: string };

export interface Watch {
  id: string;
  owner: Owner;
  channelId: string;
  messageTs: string;
  ref: JobRef;
  status: WatchStatus;
  jobStatus: JobState | null;
  jobMsg: string | null;
  jobResult: JobResult;
  polls: number;
  startedAt: Date;
  deadline: Date;
}

interface Row {
  id: string;
  tenant_id: string;
  team_id?: string | null;
  user_id: string;
  channel_id: string;
  message_ts: string;
  job_id: string | number | null;
  job_name: string | null;
  status: WatchStatus;
  job_status: JobState | null;
  job_msg: string | null;
  job_result: JobResult;
  polls: number;
  started_at: Date | string;
  deadline: Date | string;
}

const toWatch = (r: Row): Watch => ({
  id: r.id,
  owner: { tenantId: r.tenant_id, userId: r.user_id, ...(r.team_id ? { teamId: r.team_id } : {}) },
  channelId: r.channel_id,
  messageTs: r.message_ts,
  ref: r.job_id !== null ? { id: Number(r.job_id) } : { name: r.job_name ?? '' },
  status: r.status,
  jobStatus: r.job_status,
  jobMsg: r.job_msg,
  jobResult: r.job_result,
  polls: r.polls,
  startedAt: new Date(r.started_at),
  deadline: new Date(r.deadline),
});

export interface WatchStore {
  create(
    input: Omit<Watch, 'id' | 'status' | 'polls' | 'jobStatus' | 'jobMsg' | 'jobResult'>,
  ): Promise<Watch>;
  get(id: string): Promise<Watch | undefined>;
  /** Records what the latest poll saw. */
  recordPoll(
    id: string,
    seen: { status: JobState; msg: string | null; result: JobResult },
  ): Promise<void>;
  /**
   * Moves a watch out of `watching`; true only for the caller that did it, so an ending (the
   * final card update) happens once even when two replicas race.
   */
  end(id: string, status: Exclude<WatchStatus, 'watching'>): Promise<boolean>;
  /** Starts watching again (Check again), as `owner`, until `deadline`. */
  restart(id: string, owner: Owner, deadline: Date): Promise<Watch | undefined>;
  /** Watches still running for a user (App Home lists them). */
  activeFor(owner: Owner): Promise<Watch[]>;
}

export function createWatchStore(db: Queryable): WatchStore {
  return {
    async create(input) {
      const id = randomUUID();
      const ref = input.ref;
      const [row] = await db.query<Row>(
        `INSERT INTO job_watches (id, tenant_id, user_id, channel_id, message_ts, job_id, job_name,
                                  status, started_at, deadline, team_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'watching', $8, $9, $10) RETURNING *`,
        [
          id,
          input.owner.tenantId,
          input.owner.userId,
          input.channelId,
          input.messageTs,
          'id' in ref ? ref.id : null,
          'name' in ref ? ref.name : null,
          input.startedAt,
          input.deadline,
          input.owner.teamId ?? null,
        ],
      );
      if (!row) throw new Error('watch not created');
      return toWatch(row);
    },
    async get(id) {
      const [row] = await db.query<Row>('SELECT * FROM job_watches WHERE id = $1', [id]);
      return row ? toWatch(row) : undefined;
    },
    async recordPoll(id, seen) {
      await db.query(
        `UPDATE job_watches SET polls = polls + 1, job_status = $2, job_msg = $3,
                job_result = $4::jsonb, updated_at = now() WHERE id = $1`,
        [id, seen.status, seen.msg, JSON.stringify(seen.result ?? null)],
      );
    },
    async end(id, status) {
      const rows = await db.query(
        `UPDATE job_watches SET status = $2, updated_at = now()
          WHERE id = $1 AND status = 'watching' RETURNING 1`,
        [id, status],
      );
      return rows.length > 0;
    },
    async restart(id, owner, deadline) {
      const [row] = await db.query<Row>(
        `UPDATE job_watches SET status = 'watching', tenant_id = $2, user_id = $3, deadline = $4,
                team_id = $5, polls = 0, updated_at = now()
          WHERE id = $1 AND status <> 'finished' AND status <> 'gone' RETURNING *`,
        [id, owner.tenantId, owner.userId, deadline, owner.teamId ?? null],
      );
      return row ? toWatch(row) : undefined;
    },
    async activeFor(owner) {
      const rows = await db.query<Row>(
        `SELECT * FROM job_watches WHERE tenant_id = $1 AND user_id = $2 AND status = 'watching'
          ORDER BY started_at DESC`,
        [owner.tenantId, owner.userId],
      );
      return rows.map(toWatch);
    },
  };
}
