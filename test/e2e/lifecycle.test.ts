import { afterEach, describe, expect, it } from 'vitest';
import type { Command } from '../../src/commands/index.ts';
import type { ReadinessReport } from '../../src/readiness.ts';
import { slashCommand } from '../driver.ts';
import { startTestBot, type TestBot } from '../support/bot.ts';

let t: TestBot | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

describe('health routes', () => {
  it('/healthz answers 200 while /readyz follows what storage and workers report', async () => {
    let report: ReadinessReport = { ready: false, checks: { database: 'starting' } };
    t = await startTestBot({ readiness: { check: async () => report } });

    const health = await fetch(`${t.origin}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });

    const starting = await fetch(`${t.origin}/readyz`);
    expect(starting.status).toBe(503);
    expect(await starting.json()).toMatchObject({
      status: 'not ready',
      checks: { database: 'starting' },
    });

    report = { ready: true, checks: { database: 'ok', workers: 'ok' } };
    const ready = await fetch(`${t.origin}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      ready: true,
      checks: { database: 'ok', workers: 'ok' },
    });
  });

  it('/readyz is 503, not a crash, when the readiness check itself throws', async () => {
    t = await startTestBot({
      readiness: {
        check: async () => {
          throw new Error('connection refused');
        },
      },
    });
    const res = await fetch(`${t.origin}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ checks: { readiness: 'connection refused' } });
  });
});

describe('stopping', () => {
  it('finishes work that was acked before the stop, and takes no new requests', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow: Command = {
      name: 'slow',
      usage: '',
      summary: 'Acks, then works.',
      example: '/alation slow',
      async run({ ack, respond }) {
        await ack('working…');
        await gate;
        await respond({ response_type: 'ephemeral', text: 'done' });
      },
    };
    t = await startTestBot({ commands: (defaults) => [...defaults, slow] });
    const responseUrl = t.slack.responseUrl();
    const ack = await slashCommand(t.target, { text: 'slow', response_url: responseUrl });
    expect(ack.raw).toBe('working…');
    expect(t.inFlight.count).toBe(1);

    await t.bot.stop();
    await expect(slashCommand(t.target, { text: 'help' })).rejects.toThrow();

    const drained = t.inFlight.drain(5_000);
    release();
    expect(await drained).toBe(true);
    expect(t.slack.responsesTo(responseUrl).map((r) => r.body)).toEqual([
      { response_type: 'ephemeral', text: 'done' },
    ]);
  });
});
