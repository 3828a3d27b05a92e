import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { startEventLoopMonitor } from '../../src/event-loop.ts';
import { captureLog } from '../support/log.ts';
import { until } from '../support/wait.ts';

function blockFor(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // a synchronous stretch, as a WASM call or a big parse on the main thread would be
  }
}

describe('event-loop monitor', () => {
  it('reports zeros before anything was measured', () => {
    const { log } = captureLog();
    const monitor = startEventLoopMonitor({ log });
    try {
      const report = monitor.report();
      expect(report.sinceStart).toEqual({ p50: 0, p99: 0, max: 0 });
      expect(report.recent.windowSeconds).toBe(60);
    } finally {
      monitor.stop();
    }
  });

  it('logs a warning for a block past 200 ms and reports it since start and recently', async () => {
    const { log, lines } = captureLog();
    const monitor = startEventLoopMonitor({ log, checkMs: 50, windowMs: 60_000 });
    try {
      await sleep(30);
      blockFor(300);
      await until(async () => lines().some((l) => l.msg.includes('event loop was blocked')));
      const warning = lines().find((l) => l.msg.includes('event loop was blocked'));
      expect(warning?.level).toBe(40);
      expect(warning?.eventLoopDelayMs).toBeGreaterThanOrEqual(250);
      const report = monitor.report();
      expect(report.sinceStart.max).toBeGreaterThanOrEqual(250);
      expect(report.recent.max).toBeGreaterThanOrEqual(250);
      expect(report.sinceStart.p50).toBeLessThan(report.sinceStart.max);
    } finally {
      monitor.stop();
    }
  });

  it('stays quiet for short delays, and a new window forgets an old block', async () => {
    const { log, lines } = captureLog();
    const monitor = startEventLoopMonitor({ log, checkMs: 20, windowMs: 100 });
    try {
      await sleep(30);
      blockFor(150);
      await sleep(300);
      expect(lines().filter((l) => l.level >= 40)).toEqual([]);
      const report = monitor.report();
      expect(report.sinceStart.max).toBeGreaterThanOrEqual(130);
      expect(report.recent.max).toBeLessThan(130);
    } finally {
      monitor.stop();
    }
  });

  it('reports blocks since listening apart from those before it', async () => {
    const { log } = captureLog();
    const monitor = startEventLoopMonitor({ log });
    try {
      await sleep(30);
      blockFor(400);
      await sleep(30);
      expect(monitor.report().sinceListening).toBeUndefined();
      monitor.listening();
      await sleep(60);
      const report = monitor.report();
      expect(report.sinceStart.max).toBeGreaterThanOrEqual(380);
      expect(report.sinceListening?.max).toBeLessThan(380);
    } finally {
      monitor.stop();
    }
  });
});
