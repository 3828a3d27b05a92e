import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BODY_LIMIT_BYTES } from '../../src/slack/guard.ts';
import {
  buildBlockAction,
  buildEventEnvelope,
  buildMessageAction,
  buildViewSubmission,
  postInteraction,
  postSigned,
  slashCommand,
} from '../driver.ts';
import { startTestBot, type TestBot } from '../support/bot.ts';

let t: TestBot;
beforeAll(async () => {
  t = await startTestBot();
});
afterAll(() => t.stop());

const warnings = () => t.logs().filter((l) => l.level === 40);

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await fn();
  return { ms: performance.now() - started, result };
}

/** Still serving: /healthz answers and a real command is acked. */
async function stillServing() {
  expect((await fetch(`${t.origin}/healthz`)).status).toBe(200);
  const help = await slashCommand(t.target, { text: 'help' });
  expect(help.status).toBe(200);
}

const form = (raw: string) => postSigned(t.target, raw, 'application/x-www-form-urlencoded');
const json = (raw: string) => postSigned(t.target, raw, 'application/json');

function without(value: object, ...keys: string[]): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...value };
  for (const key of keys) delete copy[key];
  return copy;
}

describe('signed but malformed requests', () => {
  const view = () => buildViewSubmission({ view: { callback_id: 'query_new' } });
  const cases: [string, () => Promise<{ status: number }>][] = [
    ['payload=null (form)', () => form('payload=null')],
    ['a JSON body of null', () => json('null')],
    ['a JSON array', () => json('[1,2]')],
    ['a JSON number', () => json('5')],
    ['payload=[]', () => form('payload=%5B%5D')],
    ['payload="text"', () => form('payload=%22text%22')],
    [
      'block_actions with no user',
      () =>
        postInteraction(
          t.target,
          without(buildBlockAction({ actions: [{ action_id: 'x' }] }), 'user'),
        ),
    ],
    [
      'block_actions with no actions',
      () =>
        postInteraction(t.target, {
          ...buildBlockAction({ actions: [{ action_id: 'x' }] }),
          actions: [],
        }),
    ],
    ['view_submission with no view', () => postInteraction(t.target, without(view(), 'view'))],
    [
      'view_submission with no state',
      () => postInteraction(t.target, { ...view(), view: without(view().view, 'state') }),
    ],
    [
      'view_submission with state.values null',
      () =>
        postInteraction(t.target, { ...view(), view: { ...view().view, state: { values: null } } }),
    ],
    [
      'message_action with no message',
      () =>
        postInteraction(
          t.target,
          without(
            buildMessageAction({ callback_id: 'open_sql', message: { text: 'x', ts: '1.2' } }),
            'message',
          ),
        ),
    ],
    [
      'a slash command with no user_id',
      () => form('command=%2Falation&text=help&team_id=T1&channel_id=C1'),
    ],
    [
      'an event with no event_id',
      () =>
        json(
          JSON.stringify(
            without(
              buildEventEnvelope({ event: { type: 'app_home_opened', user: 'U1' } }),
              'event_id',
            ),
          ),
        ),
    ],
    [
      'link_shared with links null',
      () =>
        json(
          JSON.stringify(
            buildEventEnvelope({
              event: {
                type: 'link_shared',
                channel: 'C1',
                user: 'U1',
                message_ts: '1.2',
                links: null,
              },
            }),
          ),
        ),
    ],
    ['an unknown type', () => json('{"type":"nonsense"}')],
  ];

  it.each(cases)(
    'answers %s with 400 at once, one warning, and keeps serving',
    async (_n, send) => {
      const before = warnings().length;
      const { ms, result } = await timed(send);
      expect(result.status).toBe(400);
      expect(ms).toBeLessThan(1000);
      const added = warnings().slice(before);
      expect(added).toHaveLength(1);
      expect(added[0]?.msg).toBe('refused a malformed Slack request');
      expect(String(added[0]?.problem)).not.toBe('');
      await stillServing();
    },
  );

  it('still answers what Slack sends without a signature (ssl_check) and refuses bad signatures', async () => {
    const ssl = await postSigned(
      t.target,
      'ssl_check=1&token=x',
      'application/x-www-form-urlencoded',
      {
        omitSignature: true,
      },
    );
    expect(ssl.status).toBe(200);
    // An unsigned SSL check carrying a payload is answered and its payload never handled.
    const before = t.slack.calls.length;
    const smuggled = await postSigned(
      t.target,
      `ssl_check=1&payload=${encodeURIComponent(JSON.stringify({ command: '/alation', text: 'whoami', user_id: 'U1', team_id: 'T1', channel_id: 'C1' }))}`,
      'application/x-www-form-urlencoded',
      { omitSignature: true },
    );
    expect([smuggled.status, smuggled.raw]).toEqual([200, '']);
    expect(t.slack.calls.length).toBe(before);
    const forged = await postSigned(t.target, 'payload=null', 'application/x-www-form-urlencoded', {
      wrongSecret: true,
    });
    expect(forged.status).toBe(401);
  });

  it('answers url_verification with its challenge', async () => {
    const res = await json('{"type":"url_verification","challenge":"abc","token":"x"}');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ challenge: 'abc' });
  });
});

describe('bodies are bounded and echoes are short', () => {
  it(`refuses a body over ${BODY_LIMIT_BYTES} bytes with 413 and a warning`, async () => {
    const before = warnings().length;
    const res = await slashCommand(t.target, { text: `sql ${'x'.repeat(1_500_000)}` });
    expect(res.status).toBe(413);
    expect(
      warnings()
        .slice(before)
        .map((l) => l.msg),
    ).toEqual(['refused a Slack request: body too large']);
    await stillServing();
  });

  it('quotes at most 100 characters of a long argument back', async () => {
    const res = await slashCommand(t.target, { text: `sql ${'x'.repeat(500_000)}` });
    expect(res.status).toBe(200);
    const text = JSON.stringify(res.body);
    expect(text).toContain(`\`${'x'.repeat(99)}…\``);
    expect(text).not.toContain('x'.repeat(100));
    expect(text.length).toBeLessThan(2000);
  });
});
