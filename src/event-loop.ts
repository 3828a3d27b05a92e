import { type Histogram, monitorEventLoopDelay } from 'node:perf_hooks';
import type { Logger } from './log.ts';

/** Event-loop delay percentiles, in milliseconds. */
export interface DelayStats {
  p50: number;
  p99: number;
  max: number;
}

export interface EventLoopReport {
  /** Since the monitor started (the start of `run()`, before the HTTP port listens). */
  sinceStart: DelayStats;
  /**
   * Since the port began to listen (`listening()`): what a Slack request could have waited.
   * Before that, building the app is a block nobody waits on, since no request can arrive.
   */
  sinceListening?: DelayStats;
  /** The last full window (`windowMs`), or the current one before the first has ended. */
  recent: DelayStats & { windowSeconds: number };
}

export interface EventLoopMonitor {
  report(): EventLoopReport;
  /** The HTTP port listens: from now on, delays can delay an ack. */
  listening(): void;
  stop(): void;
}

export interface EventLoopMonitorOptions {
  log: Logger;
  /** A delay longer than this is logged as a warning (at most once per check). */
  warnMs?: number;
  /** How often delays are checked against `warnMs`. */
  checkMs?: number;
  /** The span `recent` covers. */
  windowMs?: number;
  /** The histogram's sampling resolution; blocks shorter than this are not seen. */
  resolutionMs?: number;
}

const NS_PER_MS = 1e6;
const round = (ns: number) => Math.round(ns / 1e4) / 100;

function stats(h: Histogram): DelayStats {
  // An empty histogram reports huge sentinels; nothing measured yet is zero delay.
  if (h.count === 0) return { p50: 0, p99: 0, max: 0 };
  return { p50: round(h.percentile(50)), p99: round(h.percentile(99)), max: round(h.max) };
}

/**
 * Watches how late the event loop runs (perf_hooks' delay histogram): anything that blocks it
 * delays every Slack ack, which must come within 3 s. A delay past `warnMs` is logged as a
 * warning; `report()` gives the numbers for `/readyz`.
 */
export function startEventLoopMonitor(options: EventLoopMonitorOptions): EventLoopMonitor {
  const { log, warnMs = 200, checkMs = 1_000, windowMs = 60_000, resolutionMs = 10 } = options;
  const sinceStart = monitorEventLoopDelay({ resolution: resolutionMs });
  const current = monitorEventLoopDelay({ resolution: resolutionMs });
  const check = monitorEventLoopDelay({ resolution: resolutionMs });
  const sinceListening = monitorEventLoopDelay({ resolution: resolutionMs });
  let listened = false;
  for (const h of [sinceStart, current, check]) h.enable();
  let recent: DelayStats | undefined;
  let windowStarted = performance.now();

  let lastTick = performance.now();
  const tick = () => {
    // The histogram's own sample of a block can land just after this check reads it; how late
    // this timer itself ran says the same, so the larger of the two is what was seen.
    const now = performance.now();
    const lateMs = now - lastTick - checkMs;
    lastTick = now;
    const maxMs = Math.max(check.count > 0 ? check.max / NS_PER_MS : 0, lateMs);
    if (maxMs > warnMs) {
      log.warn(
        { eventLoopDelayMs: Math.round(maxMs * 100) / 100, warnMs },
        'the event loop was blocked; Slack acks were delayed',
      );
    }
    check.reset();
    if (performance.now() - windowStarted >= windowMs) {
      recent = stats(current);
      current.reset();
      windowStarted = performance.now();
    }
  };
  const timer = setInterval(tick, checkMs);
  timer.unref();

  return {
    report: () => ({
      sinceStart: stats(sinceStart),
      ...(listened ? { sinceListening: stats(sinceListening) } : {}),
      recent: { ...(recent ?? stats(current)), windowSeconds: windowMs / 1000 },
    }),
    listening() {
      if (listened) return;
      listened = true;
      sinceListening.enable();
    },
    stop() {
      clearInterval(timer);
      for (const h of [sinceStart, sinceListening, current, check]) h.disable();
    },
  };
}
