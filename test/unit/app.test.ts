import { App, LogLevel, type Receiver } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { groupListeners } from '../../src/app.ts';

const quietLogger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

const receiver: Receiver = { init: () => {}, start: async () => {}, stop: async () => {} };

/** A Bolt app fed bodies directly; `grouped` registers through groupListeners. */
function harness(grouped: boolean) {
  const app = new App({
    receiver,
    logger: quietLogger,
    authorize: async () => ({ botToken: 'xoxb-test', botId: 'B0BOT', botUserId: 'U0BOT' }),
  });
  const ran: string[] = [];
  const errors: unknown[] = [];
  app.error(async (error) => {
    errors.push(error);
  });
  const target = grouped ? groupListeners(app) : app;
  const dispatch = async (body: Record<string, unknown>) => {
    await app.processEvent({ body, ack: async () => {} });
  };
  return { app, target, ran, errors, dispatch };
}

const blockAction = (actionId: string, blockId = 'b1') => ({
  type: 'block_actions',
  team: { id: 'T1' },
  user: { id: 'U1' },
  api_app_id: 'A1',
  trigger_id: 't',
  actions: [{ type: 'button', action_id: actionId, block_id: blockId, action_ts: '1' }],
});

const viewBody = (type: 'view_submission' | 'view_closed', callbackId: string) => ({
  type,
  team: { id: 'T1' },
  user: { id: 'U1' },
  api_app_id: 'A1',
  view: { id: 'V1', callback_id: callbackId, state: { values: {} } },
});

const shortcutBody = (callbackId: string) => ({
  type: 'message_action',
  callback_id: callbackId,
  team: { id: 'T1' },
  user: { id: 'U1' },
  channel: { id: 'C1' },
  trigger_id: 't',
  message: { ts: '1' },
});

/** The same registrations and requests, once on plain Bolt and once grouped. */
async function bothWays(
  register: (app: App, ran: string[]) => void,
  bodies: Record<string, unknown>[],
) {
  const outcome = async (grouped: boolean) => {
    const h = harness(grouped);
    register(h.target, h.ran);
    for (const body of bodies) await h.dispatch(body);
    return {
      ran: [...h.ran].sort(),
      errors: h.errors.map((e) => {
        const err = e as Error & { code?: string; originals?: Error[] };
        return {
          name: err.name,
          code: err.code,
          message: err.message,
          originals: err.originals?.map((o) => o.message),
        };
      }),
    };
  };
  const plain = await outcome(false);
  expect(await outcome(true)).toEqual(plain);
  return plain;
}

describe('groupListeners', () => {
  it('runs exactly the listeners Bolt would run, each with its own matcher', async () => {
    const outcome = await bothWays(
      (app, ran) => {
        app.action('a1', async ({ ack, action }) => {
          await ack();
          ran.push(`a1:${(action as { action_id: string }).action_id}`);
        });
        app.action('a1', async () => {
          ran.push('a1 again');
        });
        app.action('a2', async () => {
          ran.push('a2');
        });
        app.action(/^re-(\d+)$/, async ({ context }) => {
          ran.push(`re:${(context.actionIdMatches as string[])[1]}`);
        });
        app.action({ block_id: 'special' }, async () => {
          ran.push('block special');
        });
        app.view('v1', async () => {
          ran.push('v1 submit');
        });
        app.view({ callback_id: 'v1', type: 'view_closed' }, async () => {
          ran.push('v1 closed');
        });
        app.shortcut('s1', async () => {
          ran.push('s1');
        });
        app.command('/alation', async () => {
          ran.push('command');
        });
      },
      [
        blockAction('a1'),
        blockAction('re-42'),
        blockAction('zzz', 'special'),
        viewBody('view_submission', 'v1'),
        viewBody('view_closed', 'v1'),
        shortcutBody('s1'),
        shortcutBody('other'),
      ],
    );
    expect(outcome.ran).toEqual([
      'a1 again',
      'a1:a1',
      'block special',
      're:42',
      's1',
      'v1 closed',
      'v1 submit',
    ]);
    expect(outcome.errors).toEqual([]);
  });

  it('reports one failing listener as itself and several as Bolt’s MultipleListenerError', async () => {
    const outcome = await bothWays(
      (app, ran) => {
        app.action('one', async () => {
          throw new Error('one failed');
        });
        app.action('one', async () => {
          ran.push('one ok');
        });
        app.action('two', async () => {
          throw new Error('first');
        });
        app.action('two', async () => {
          throw new Error('second');
        });
      },
      [blockAction('one'), blockAction('two')],
    );
    expect(outcome.ran).toEqual(['one ok']);
    expect(outcome.errors.map((e) => e.message)).toEqual([
      'one failed',
      expect.stringContaining('Multiple errors'),
    ]);
    expect(outcome.errors[1]?.originals).toEqual(['first', 'second']);
  });

  it('passes listener middleware a working next(), as Bolt does', async () => {
    const outcome = await bothWays(
      (app, ran) => {
        app.action(
          'mw',
          async ({ next }) => {
            ran.push('middleware');
            await next();
          },
          async () => {
            ran.push('listener');
          },
        );
        app.action(
          'stop',
          async () => {
            ran.push('stopped here');
          },
          async () => {
            ran.push('never');
          },
        );
      },
      [blockAction('mw'), blockAction('stop')],
    );
    expect(outcome.ran).toEqual(['listener', 'middleware', 'stopped here']);
  });

  it('leaves everything but actions, views and shortcuts to Bolt itself', () => {
    const app = harness(true).app;
    const grouped = groupListeners(app);
    expect(grouped.client).toBe(app.client);
    const listeners = () => (app as unknown as { listeners: unknown[] }).listeners.length;
    const before = listeners();
    for (const id of ['a', 'b', 'c']) grouped.action(id, async () => {});
    grouped.view('v', async () => {});
    grouped.view('w', async () => {});
    expect(listeners()).toBe(before + 2);
    grouped.command('/x', async () => {});
    grouped.event('app_home_opened', async () => {});
    expect(listeners()).toBe(before + 4);
  });
});
