import type { EventLoopReport } from './event-loop.ts';

/** What `/readyz` reports: each dependency the bot needs before it can do real work. */
export interface Readiness {
  check(): Promise<ReadinessReport>;
}

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, 'ok' | string>;
  /** How late the event loop has run (ms), so operators see what delays Slack's acks. */
  eventLoop?: EventLoopReport;
}
