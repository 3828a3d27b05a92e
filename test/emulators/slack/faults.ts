// Slack's side of the shared fault vocabulary (../faults.ts): a fault per method and kind, a
// new one replacing the last, taken at the point of the call where Slack would fail it.
import {
  type FaultCounter,
  type FaultHandle,
  faultHandle,
  type SlackFaultSpec,
} from '../faults.ts';
import type { SlackEnv } from './state.ts';

const API_PREFIX = '/api/';

export function addFault(env: SlackEnv, spec: SlackFaultSpec): FaultHandle {
  if (!spec.path.startsWith(API_PREFIX) || spec.path.length === API_PREFIX.length)
    throw new Error(`a Slack fault's path is /api/<method>, not ${spec.path}`);
  const method = spec.path.slice(API_PREFIX.length);
  const remaining = spec.times ?? 1;
  if ('error' in spec) {
    const fault = { error: spec.error, remaining, hits: 0 };
    env.state.failures.set(method, fault);
    return faultHandle(fault);
  }
  const fault = { retryAfter: spec.retryAfter ?? 1, remaining, hits: 0 };
  env.state.rateLimits.set(method, fault);
  return faultHandle(fault);
}

function take<F extends FaultCounter>(fault: F | undefined): F | null {
  if (!fault || fault.remaining <= 0) return null;
  fault.remaining -= 1;
  fault.hits += 1;
  return fault;
}

/** Checked before anything else about the call, as Slack's rate limiter is. */
export function takeRateLimit(env: SlackEnv, method: string): { retryAfter: number } | null {
  return take(env.state.rateLimits.get(method));
}

/** Checked once the token was accepted, where Slack's own method errors come from. */
export function takeError(env: SlackEnv, method: string): { error: string } | null {
  return take(env.state.failures.get(method));
}

export function clearFaults(env: SlackEnv): void {
  env.state.rateLimits = new Map();
  env.state.failures = new Map();
  env.state.tiers = new Map();
}
