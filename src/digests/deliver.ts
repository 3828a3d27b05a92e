// One digest slot, start to end: claim it (so it posts once whichever replica or retry runs it),
// build the content as the creator, post it, record the outcome, and tell the creator when
// something they can fix went wrong.
import type { AllMiddlewareArgs } from '@slack/bolt';
import type { ChartSource } from '../charts/service.ts';
import type { AlationClient } from '../client/alation.ts';
import { isUpstreamError, NotConnectedError } from '../client/errors.ts';
import type { Logger } from '../log.ts';
import { uploadFile } from '../slack/upload.ts';
import type { SlackUsers } from '../slack/users.ts';
import type { Owner } from '../store/credentials.ts';
import type { DeliveryResult, Digest, DigestStore } from '../store/digests.ts';
import { seenByLine } from '../views/audience.ts';
import { mrkdwn } from '../views/blocks.ts';
import { buildDeliveryProblemDm, type DeliveryProblem, type DigestFrame } from '../views/digest.ts';
import { buildFailedRuns, buildFlagChanges } from './activity.ts';
import { type BuildContext, type Built, buildQueryResult } from './content.ts';
import { buildModeRuns, type ModeAccess } from './mode-runs.ts';
import { type PublishDeps, publishPersonal } from './personal-copies.ts';
import { slotKey } from './slots.ts';

type Client = AllMiddlewareArgs['client'];

/** Paused after this many failed runs in a row. */
export const PAUSE_AFTER_FAILURES = 3;
/**
 * A claim not renewed for this long belonged to a replica that died mid-run, and may be taken
 * over. A live run renews its claim every third of this, so a slow upload never loses it; a
 * dead one stops renewing, and pg-boss's retry of its job (its heartbeat stops too, see
 * digest-run.ts) takes the slot within about a minute.
 */
export const CLAIM_LEASE_MS = 60_000;

export interface DeliveryDeps {
  digests: DigestStore;
  alationFor(owner: Owner): AlationClient;
  alationBaseUrl: string;
  modeFor(owner: Owner): ModeAccess;
  slack: Client;
  log: Logger;
  now(): Date;
  /** Removes the pg-boss schedule of a digest that got paused. */
  unschedule(digestId: string): Promise<void>;
  leaseMs?: number;
  /** Charts for query-result digests, with the creator's saved choice (issue 16). */
  charts?: ChartSource | undefined;
  /** Personal digests' fan-out (issue 18); without it they post in their channel as before. */
  personal?: PublishDeps | undefined;
  /** Names the creator in the "as seen by" line (users.info, cached); their id without it. */
  users?: Pick<SlackUsers, 'viewer'> | undefined;
}

/** A scheduled instant, or a Run now press (its own id, so two presses post twice). */
export type SlotRef = { at: Date } | { manual: string };

export type DeliveryOutcome =
  | 'posted'
  | 'skipped'
  | 'failed'
  /** Another replica or an earlier attempt posted (or skipped) this slot. */
  | 'duplicate'
  /** Another replica holds this slot and may still be working: check again at `leaseEndsAt`. */
  | { busyUntil: Date }
  /** Deleted, or paused (scheduled runs only). */
  | 'inactive';

/** Thrown for failures worth retrying (an outage upstream); the claim is given back first. */
export class TransientDeliveryError extends Error {
  constructor(cause: unknown) {
    super('digest delivery failed for a passing reason', { cause });
    this.name = 'TransientDeliveryError';
  }
}

const SLACK_PROBLEMS: Record<string, DeliveryProblem> = {
  not_in_channel: { kind: 'not_in_channel' },
  is_archived: { kind: 'archived' },
  channel_not_found: { kind: 'channel_not_found' },
  invalid_channel: { kind: 'channel_not_found' },
};

function slackProblem(error: unknown): DeliveryProblem | undefined {
  const code = (error as { data?: { error?: string } }).data?.error;
  return code ? SLACK_PROBLEMS[code] : undefined;
}

/** Failures the creator can fix; anything else is passing and retried. */
function problemOf(error: unknown, digest: Digest): DeliveryProblem | undefined {
  if (error instanceof NotConnectedError) {
    return { kind: 'credentials', provider: error.provider, reason: error.reason };
  }
  const slack = slackProblem(error);
  if (slack) return slack;
  if (isUpstreamError(error) && (error.kind === 'not_found' || error.kind === 'forbidden')) {
    const p = digest.params;
    const what =
      p.kind === 'query_result'
        ? `Query ${p.queryId}`
        : p.kind === 'mode_runs'
          ? `Mode report ${p.workspace}/${p.report}${p.run ? ` (run ${p.run})` : ''}`
          : 'What the digest reads';
    return { kind: 'not_found', what };
  }
  return undefined;
}

function build(ctx: BuildContext): Promise<Built> {
  const params = ctx.digest.params;
  switch (params.kind) {
    case 'query_result':
      return buildQueryResult(ctx, params);
    case 'failed_runs':
      return buildFailedRuns(ctx, params);
    case 'flag_changes':
      return buildFlagChanges(ctx, params);
    case 'mode_runs':
      return buildModeRuns(ctx, params, ctx.mode);
  }
}

/** Slack refuses a message of more than 50 blocks. */
const MAX_BLOCKS = 50;

/** Whose Alation access a channel post was read with (issue 18), when there is room for it. */
async function withSeenBy(
  deps: DeliveryDeps,
  digest: Digest,
  built: Extract<Built, { post: true }>,
) {
  const { blocks } = built.message;
  if (blocks.length >= MAX_BLOCKS) return built;
  const { tenantId, userId } = digest.owner;
  const viewer = deps.users ? await deps.users.viewer(deps.slack, tenantId, userId) : { userId };
  const line = {
    type: 'context' as const,
    elements: [mrkdwn(seenByLine(undefined, viewer))],
  };
  return { ...built, message: { ...built.message, blocks: [...blocks, line] } };
}

async function post(deps: DeliveryDeps, digest: Digest, shown: Extract<Built, { post: true }>) {
  const built = await withSeenBy(deps, digest, shown);
  if (built.file) {
    const { spooled, filename, title } = built.file;
    try {
      await uploadFile(deps.slack, {
        channelId: digest.channelId,
        filename,
        title,
        content: { path: spooled.path, length: spooled.bytes },
        blocks: built.message.blocks,
        ...(built.charts ? { extraFiles: async () => built.charts ?? [] } : {}),
      });
    } finally {
      await spooled.remove();
    }
    return;
  }
  const [chart] = built.charts ?? [];
  if (chart) {
    // No CSV asked for: the chart is the file the message is shared with.
    await uploadFile(deps.slack, {
      channelId: digest.channelId,
      filename: chart.filename,
      title: chart.title,
      content: { bytes: chart.bytes },
      altText: chart.altText,
      blocks: built.message.blocks,
    });
    return;
  }
  await deps.slack.chat.postMessage({
    channel: digest.channelId,
    text: built.message.text,
    blocks: built.message.blocks,
    unfurl_links: false,
  });
}

/**
 * Holds a claim while a run works: renews it every third of the lease, and answers, right before
 * posting, whether the slot is still this run's. A renewal only succeeds where `claimed_at` is
 * still what this run last wrote, so once another replica has taken the slot over it stays lost.
 */
function keepClaim(
  deps: DeliveryDeps,
  digestId: string,
  slot: string,
  claimedAt: Date,
  leaseMs: number,
  log: Logger,
) {
  let held = claimedAt;
  let lost = false;
  const renew = async (): Promise<boolean> => {
    if (lost) return false;
    const now = deps.now();
    if (await deps.digests.renew(digestId, slot, held, now)) {
      held = now;
      return true;
    }
    lost = true;
    return false;
  };
  // Renewals run one after another, so `held` always names the last write.
  let queue: Promise<unknown> = Promise.resolve();
  const timer = setInterval(
    () => {
      queue = queue.then(renew).catch((err: unknown) => {
        // A database blip: the next renewal tries again well within the lease.
        log.warn({ err }, 'could not renew a digest claim');
      });
    },
    Math.max(leaseMs / 3, 100),
  );
  timer.unref();
  return {
    get held() {
      return held;
    },
    /** True while the slot is still this run's; throws when the database cannot say. */
    confirm(): Promise<boolean> {
      const renewed = queue.then(renew);
      queue = renewed.catch(() => {});
      return renewed;
    },
    async stop() {
      clearInterval(timer);
      await queue;
    },
  };
}

/** After a post, recording it must not fail the job: a retry would post the slot again. */
async function finishPosted(
  deps: DeliveryDeps,
  digestId: string,
  slot: string,
  result: DeliveryResult,
  log: Logger,
) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await deps.digests.finish(digestId, slot, result, deps.now(), PAUSE_AFTER_FAILURES);
    } catch (err) {
      if (attempt >= 3) {
        log.error({ err }, 'posted a digest but could not record it; not retrying the post');
        return undefined;
      }
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  }
}

/**
 * Delivers `slot` of a digest. Returns what happened; throws TransientDeliveryError (after
 * giving the claim back) when pg-boss should retry later.
 */
export async function deliverDigest(
  deps: DeliveryDeps,
  digestId: string,
  slot: SlotRef,
  options: { lastAttempt?: boolean } = {},
): Promise<DeliveryOutcome> {
  const digest = await deps.digests.get(digestId);
  if (!digest) return 'inactive';
  const manual = 'manual' in slot;
  if (!manual && digest.status !== 'active') return 'inactive';
  const key = slotKey(slot);
  const claimedAt = deps.now();
  const leaseMs = deps.leaseMs ?? CLAIM_LEASE_MS;
  const claim = await deps.digests.claim(digest.id, key, claimedAt, leaseMs);
  if (claim.state !== 'claimed') {
    deps.log.debug({ digestId, slot: key, claim: claim.state }, 'digest slot already taken');
    return claim.state === 'busy' ? { busyUntil: claim.leaseEndsAt } : 'duplicate';
  }
  const log = deps.log.child({ digestId, slot: key });
  const to = 'at' in slot ? slot.at : claimedAt;
  const frame: DigestFrame = {
    name: digest.name,
    from: digest.sinceAt,
    to,
    zone: digest.tz,
    manual,
  };
  const kept = keepClaim(deps, digest.id, key, claimedAt, leaseMs, log);
  try {
    return await runClaimed(deps, digest, key, kept, frame, claimedAt, options, log);
  } finally {
    await kept.stop();
  }
}

type Kept = ReturnType<typeof keepClaim>;

/** The part of a delivery that runs while this run holds the slot's claim. */
async function runClaimed(
  deps: DeliveryDeps,
  digest: Digest,
  key: string,
  kept: Kept,
  frame: DigestFrame,
  claimedAt: Date,
  options: { lastAttempt?: boolean },
  log: Logger,
): Promise<DeliveryOutcome> {
  const manual = frame.manual;
  let result: DeliveryResult;
  let problem: DeliveryProblem | undefined;
  try {
    const built = await build({
      digest,
      alation: deps.alationFor(digest.owner),
      alationBaseUrl: deps.alationBaseUrl,
      frame,
      now: claimedAt,
      mode: deps.modeFor(digest.owner),
      charts: deps.charts && { ...deps.charts, log },
    });
    if (built.post) {
      let ours: boolean;
      try {
        ours = await kept.confirm();
      } catch (error) {
        // Whether the slot is still ours cannot be told: post nothing now, let a retry decide.
        await built.file?.spooled.remove();
        log.warn(
          { err: error },
          'could not confirm the digest claim before posting; retrying later',
        );
        throw new TransientDeliveryError(error);
      }
      if (!ours) {
        // This run stalled past its lease and another replica took the slot over: that one posts.
        await built.file?.spooled.remove();
        log.warn('digest slot taken over by another replica while this run stalled; not posting');
        return 'duplicate';
      }
      if (digest.params.kind === 'query_result' && digest.params.personal && deps.personal) {
        // To each subscriber, as themselves: the channel gets no data (personal-copies.ts).
        await built.file?.spooled.remove();
        const target = {
          subject: { kind: 'digest' as const, id: digest.id },
          name: digest.name,
          queryId: digest.params.queryId,
          channelId: digest.channelId,
        };
        await publishPersonal(deps.personal, target, key, built.message, built.resultId);
      } else {
        await post(deps, digest, built);
      }
      const posted: DeliveryResult = {
        outcome: 'posted',
        detail: null,
        periodEnd: frame.to,
        ...(built.fingerprint ? { fingerprint: built.fingerprint } : {}),
      };
      await finishPosted(deps, digest.id, key, posted, log);
      log.info({ outcome: 'posted' }, 'digest run finished');
      return 'posted';
    }
    result = { outcome: 'skipped', detail: built.reason, periodEnd: frame.to };
  } catch (error) {
    if (error instanceof TransientDeliveryError) throw error;
    problem = problemOf(error, digest);
    if (!problem) {
      // Upstream errors log their own redacted summary; anything else is a bug worth a stack.
      const logged = isUpstreamError(error) ? { upstream: error.toLog() } : { err: error };
      if (!options.lastAttempt) {
        log.warn(logged, 'digest run failed; retrying later');
        await kept.stop();
        // Only this run's own claim: one taken over meanwhile belongs to a live run.
        await deps.digests.release(digest.id, key, kept.held);
        throw new TransientDeliveryError(error);
      }
      const message = isUpstreamError(error)
        ? error.message
        : 'Something went wrong on the bot’s side; it has been logged.';
      log.error(logged, 'digest run failed for good');
      problem = { kind: 'upstream', message };
    } else {
      log.warn({ problem: problem.kind }, 'digest could not be delivered');
    }
    result = { outcome: 'failed', detail: problem.kind };
  }
  await kept.stop();
  const after = await deps.digests.finish(digest.id, key, result, deps.now(), PAUSE_AFTER_FAILURES);
  if (problem && after) {
    const paused = after.status === 'paused' && digest.status === 'active';
    if (paused)
      await deps
        .unschedule(digest.id)
        .catch((err: unknown) => log.warn({ err }, 'could not unschedule'));
    // First failure and the pause: enough to act on, not a DM every hour.
    if (paused || after.consecutiveFailures === 1 || manual) {
      await deps.slack.chat
        .postMessage({
          channel: digest.owner.userId,
          ...buildDeliveryProblemDm({
            digestName: digest.name,
            channelId: digest.channelId,
            problem,
            paused,
            failures: after.consecutiveFailures,
          }),
        })
        .catch((err: unknown) =>
          log.warn({ err }, 'could not tell the creator about a failed digest'),
        );
    }
  }
  log.info({ outcome: result.outcome }, 'digest run finished');
  return result.outcome;
}
