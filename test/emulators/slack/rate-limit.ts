// Slack's rate tiers, enforced (issue 18's fan-out bench and tests): a method may be limited
// per workspace (all calls) and per channel, each over a sliding window. A call past a limit
// gets 429 `ratelimited` with a Retry-After in whole seconds, as Slack answers, and counts as
// rejected; faults.ts's one-off 429s stay as they are.
import type { SlackEnv } from './state.ts';

export interface RateTierSpec {
  method: string;
  /** Calls per window across the workspace (Slack's tier 3 is about 50 a minute). */
  perWorkspace?: number;
  /** Calls per window in one channel (chat.postMessage: about 1 a second). */
  perChannel?: number;
  windowMs: number;
}

export interface RateTier {
  spec: RateTierSpec;
  workspace: number[];
  channels: Map<string, number[]>;
  /** Calls answered 429 by this tier. */
  rejected: number;
  /** Calls let through. */
  passed: number;
}

export function setRateTier(env: SlackEnv, spec: RateTierSpec): RateTier {
  const tier: RateTier = { spec, workspace: [], channels: new Map(), rejected: 0, passed: 0 };
  env.state.tiers.set(spec.method, tier);
  return tier;
}

/** Seconds until a window holding `times` has room for one more. */
function waitSeconds(times: number[], windowMs: number, now: number): number {
  const oldest = times[0] ?? now;
  return Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
}

function prune(times: number[], windowMs: number, now: number): number[] {
  let i = 0;
  while (i < times.length && (times[i] as number) <= now - windowMs) i++;
  return i === 0 ? times : times.slice(i);
}

/** Null when the call may go through (and it is counted); else how long to wait. */
export function takeRateTier(
  env: SlackEnv,
  method: string,
  channel: string | undefined,
  now = Date.now(),
): { retryAfter: number } | null {
  const tier = env.state.tiers.get(method);
  if (!tier) return null;
  const { perWorkspace, perChannel, windowMs } = tier.spec;
  tier.workspace = prune(tier.workspace, windowMs, now);
  if (perWorkspace !== undefined && tier.workspace.length >= perWorkspace) {
    tier.rejected++;
    return { retryAfter: waitSeconds(tier.workspace, windowMs, now) };
  }
  let inChannel: number[] | undefined;
  if (perChannel !== undefined && channel) {
    inChannel = prune(tier.channels.get(channel) ?? [], windowMs, now);
    tier.channels.set(channel, inChannel);
    if (inChannel.length >= perChannel) {
      tier.rejected++;
      return { retryAfter: waitSeconds(inChannel, windowMs, now) };
    }
  }
  tier.workspace.push(now);
  inChannel?.push(now);
  tier.passed++;
  return null;
}
