// One-time `state` values for "Add to Slack" (Bolt's StateStore): a random value whose hash is
// stored, good once and for a few minutes, so a redirect cannot be replayed or forged.
import { createHash, randomBytes } from 'node:crypto';
import type { InstallURLOptions } from '@slack/bolt';
import type { Queryable } from './db.ts';

/** How long an "Add to Slack" link stays good. */
export const INSTALL_STATE_TTL_MS = 10 * 60_000;

export type StateCheck =
  | { ok: true; installOptions: InstallURLOptions }
  | { ok: false; reason: 'unknown' | 'used' | 'expired' };

export interface InstallStates {
  create(installOptions: InstallURLOptions, now: Date): Promise<string>;
  /** Uses the state up: a second call with the same value is refused. */
  consume(state: string, now: Date): Promise<StateCheck>;
}

const hash = (state: string) => createHash('sha256').update(state).digest('hex');

export function createInstallStates(db: Queryable): InstallStates {
  return {
    async create(installOptions, now) {
      const state = randomBytes(32).toString('base64url');
      await db.query(
        `INSERT INTO slack_install_states (state_hash, install_options, expires_at)
         VALUES ($1, $2, $3)`,
        [
          hash(state),
          JSON.stringify(installOptions),
          new Date(now.getTime() + INSTALL_STATE_TTL_MS),
        ],
      );
      // Expired states are useless; clearing them here keeps the table small without a job.
      await db.query('DELETE FROM slack_install_states WHERE expires_at < $1', [
        new Date(now.getTime() - INSTALL_STATE_TTL_MS),
      ]);
      return state;
    },

    async consume(state, now) {
      const stateHash = hash(state);
      const [used] = await db.query<{ install_options: InstallURLOptions; expires_at: Date }>(
        `UPDATE slack_install_states SET used_at = $2
          WHERE state_hash = $1 AND used_at IS NULL
          RETURNING install_options, expires_at`,
        [stateHash, now],
      );
      if (used) {
        if (new Date(used.expires_at) < now) return { ok: false, reason: 'expired' };
        return { ok: true, installOptions: used.install_options };
      }
      const [seen] = await db.query('SELECT 1 FROM slack_install_states WHERE state_hash = $1', [
        stateHash,
      ]);
      return { ok: false, reason: seen ? 'used' : 'unknown' };
    },
  };
}
