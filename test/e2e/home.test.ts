import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blockAction, event, slashCommand, viewSubmission } from '../driver.ts';
import { SLACK_DEFAULTS } from '../emulators/slack.ts';
import { DEFAULT_OWNER, startTestBot, type TestBot } from '../support/bot.ts';
import { openedView, textOf } from '../support/flows.ts';

type Json = Record<string, unknown>;
let t: TestBot;

beforeEach(async () => {
  t = await startTestBot();
});
afterEach(() => t.stop());

const openHome = () =>
  event(t.target, {
    event: {
      type: 'app_home_opened',
      user: DEFAULT_OWNER.userId,
      channel: 'D0HOME0001',
      tab: 'home',
    },
  });

async function publishedHome(count = 1): Promise<Json> {
  const calls = await t.slack.waitFor('views.publish', { count });
  const call = calls[count - 1];
  expect(call?.args.user_id).toBe(DEFAULT_OWNER.userId);
  return call?.args.view as Json;
}

const buttons = (view: Json) =>
  (view.blocks as { type: string; elements?: Json[] }[])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements ?? []);

describe('App Home', () => {
  it('shows a not-connected person a friendly first-run page with Connect buttons, never an error', async () => {
    const ack = await openHome();
    expect(ack.status).toBe(200);
    const view = await publishedHome();
    expect(view.type).toBe('home');
    const text = textOf(view);
    expect(text).toContain('Welcome to Alation in Slack');
    expect(text).toContain('*Mode:* not connected.');
    expect(text).toContain('/alation help');
    expect(text).not.toMatch(/error|went wrong/i);
    expect(buttons(view).map((b) => b.action_id)).toEqual(['alation_connect', 'mode_connect']);
  });

  it('shows a connected person their connections, running job watches and how-to', async () => {
    await t.connectAlation(DEFAULT_OWNER, 7);
    const card = await t.bot.app.client.chat.postMessage({
      channel: SLACK_DEFAULTS.channelId,
      text: 'job card',
    });
    await t.features.watches.create({
      owner: DEFAULT_OWNER,
      channelId: SLACK_DEFAULTS.channelId,
      messageTs: String(card.ts),
      ref: { id: 42 },
      startedAt: new Date(),
      deadline: new Date(Date.now() + 3600_000),
    });
    await openHome();
    const view = await publishedHome();
    const text = textOf(view);
    expect(text).toContain('*Alation:* :white_check_mark: connected as Alation user 7.');
    expect(text).toContain('*Mode:* not connected.');
    expect(text).toContain('*job 42*');
    expect(text).toContain(`in <#${SLACK_DEFAULTS.channelId}>`);
    expect(text).toContain(
      `/archives/${SLACK_DEFAULTS.channelId}/p${String(card.ts).replace('.', '')}`,
    );
    expect(text).toContain('How to use it');
    expect(buttons(view).map((b) => `${b.action_id}:${b.value}`)).toEqual([
      'alation_connect:alation',
      'home_disconnect:alation',
      'mode_connect:mode',
    ]);
    expect(textOf(buttons(view)[0])).toContain('Reconnect Alation');
  });

  it('ignores the Messages tab', async () => {
    await event(t.target, {
      event: {
        type: 'app_home_opened',
        user: DEFAULT_OWNER.userId,
        channel: 'D0HOME0001',
        tab: 'messages',
      },
    });
    await openHome();
    await publishedHome();
    expect(t.slack.callsTo('views.publish')).toHaveLength(1);
  });

  it('is published again after connecting through the login modal', async () => {
    await openHome();
    expect(textOf(await publishedHome())).toContain('Welcome');
    const { refreshToken } = t.alation.addUser({ id: 9 });
    await blockAction(t.target, {
      actions: [{ action_id: 'alation_connect', value: 'alation' }],
      view: { type: 'home' },
    });
    const view = await openedView(t, 'alation_login');
    const ack = await viewSubmission(t.target, {
      view: {
        ...view,
        state: {
          values: {
            alation_user_id: { value: '9' },
            alation_refresh_token: { value: refreshToken },
          },
        },
      },
    });
    expect(ack.raw).toBe('');
    const after = await publishedHome(2);
    expect(textOf(after)).toContain('connected as Alation user 9');
  });

  it('Disconnect deletes the credential and republishes the first-run page', async () => {
    await t.connectAlation(DEFAULT_OWNER, 7);
    await blockAction(t.target, {
      actions: [{ action_id: 'home_disconnect', value: 'alation' }],
      view: { type: 'home' },
    });
    const view = await publishedHome();
    expect(textOf(view)).toContain('Welcome to Alation in Slack');
    expect(await t.features.credentials.list(DEFAULT_OWNER)).toEqual([]);
  });

  it('is refreshed after /alation logout', async () => {
    await t.connectAlation(DEFAULT_OWNER, 7);
    await slashCommand(t.target, { text: 'logout alation', response_url: t.slack.responseUrl() });
    expect(textOf(await publishedHome())).toContain('Welcome');
  });
});
