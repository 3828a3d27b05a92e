// Background chat.postMessage calls paced by a budget every replica shares (issue 18): a
// personal digest's 1,000 DMs, digest posts. Each post first takes a send slot of its
// workspace from store/post-budget.ts; a 429 (Retry-After) pauses that workspace for every
// replica, and the post takes a fresh slot after the pause. Interactive replies (acks,
// respond(), ephemerals, modal updates) never come here: they use Bolt's own client.
//
// Within one process, the posts of a workspace queue behind each other and reserve one slot at
// a time (one round trip per post), so a replica never holds more than one slot ahead: a pause
// recorded by another replica holds this one's next post too, not a backlog booked before it.
import { webApi } from '@slack/bolt';
import type { Logger } from '../log.ts';
import type { PostBudget } from '../store/post-budget.ts';
import type { SlackClient } from './clients.ts';

/** Slack's documented rate for posting messages: 1 a second (slack.md §3). */
export const DEFAULT_POSTS_PER_MINUTE = 60;
/** 429s one post waits out before it fails (and its job is retried later). */
const MAX_RATE_LIMITED = 10;

export interface PostPacer {
  /**
   * The same client, except that chat.postMessage waits for a slot of `workspace`'s shared
   * budget, and waits out a 429 for every replica. Everything else goes straight through.
   */
  paced(client: SlackClient, workspace: string): SlackClient;
  /** Resolves when a post for `workspace` may go out (exported for tests). */
  acquire(workspace: string): Promise<void>;
}

export interface PostPacerDeps {
  budget: PostBudget;
  /** Posts a minute per workspace, across every replica. */
  perMinute: number;
  /** WebClient's logger for the 429-rejecting twins below. */
  logger?: webApi.Logger;
  log: Logger;
  sleep?: (ms: number) => Promise<void>;
  /**
   * A twin of `client` that throws on 429 instead of pausing its own queue and retrying, so
   * the pacer can record the pause for every replica and take a fresh slot.
   */
  twin?: (client: SlackClient) => SlackClient;
}

export function createPostPacer(deps: PostPacerDeps): PostPacer {
  const intervalMs = 60_000 / deps.perMinute;
  const sleep = deps.sleep ?? ((ms) => new Promise<void>((r) => setTimeout(r, ms)));
  const twin =
    deps.twin ??
    ((client: SlackClient) =>
      new webApi.WebClient(client.token, {
        slackApiUrl: client.slackApiUrl,
        rejectRateLimitedCalls: true,
        ...(deps.logger ? { logger: deps.logger } : {}),
      }) as SlackClient);
  /** Twins per client; installedClients makes a new client when a token rotates. */
  const twins = new WeakMap<SlackClient, SlackClient>();
  /** Posts of a workspace in this process take their slots one after another. */
  const tails = new Map<string, Promise<void>>();

  const acquire = (workspace: string) => {
    const turn = (tails.get(workspace) ?? Promise.resolve()).then(async () => {
      const { waitMs } = await deps.budget.reserve(workspace, intervalMs);
      if (waitMs > 0) await sleep(waitMs);
    });
    // The next post waits for this one's slot, not for its failure; idle workspaces are forgotten.
    const tail = turn
      .catch(() => {})
      .finally(() => {
        if (tails.get(workspace) === tail) tails.delete(workspace);
      });
    tails.set(workspace, tail);
    return turn;
  };

  const post =
    (client: SlackClient, workspace: string) =>
    async (args: Parameters<SlackClient['chat']['postMessage']>[0]) => {
      let strict = twins.get(client);
      if (!strict) {
        strict = twin(client);
        twins.set(client, strict);
      }
      for (let limited = 0; ; limited++) {
        await acquire(workspace);
        try {
          return await strict.chat.postMessage(args);
        } catch (error) {
          const e = error as { code?: string; retryAfter?: number };
          if (e.code !== webApi.ErrorCode.RateLimitedError || limited >= MAX_RATE_LIMITED)
            throw error;
          const until = await deps.budget.pause(workspace, e.retryAfter ?? 1);
          deps.log.warn(
            { workspace, retryAfter: e.retryAfter, pausedUntil: until.toISOString() },
            'Slack rate-limited a background post; every replica holds its posts there',
          );
        }
      }
    };

  return {
    acquire,
    paced(client, workspace) {
      const chat = { ...client.chat, postMessage: post(client, workspace) };
      return new Proxy(client, {
        get: (target, prop, receiver) =>
          prop === 'chat' ? chat : Reflect.get(target, prop, receiver),
      });
    },
  };
}
