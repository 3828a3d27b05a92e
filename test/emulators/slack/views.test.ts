// views.*: modals, stacks and Home tabs (slack/views.ts).
import { describe, expect, it } from 'vitest';
import { slackError, useSlackEmulatorSuite } from '../../support/slack-emulator-suite.ts';
import { SLACK_DEFAULTS } from '../slack.ts';

const t = useSlackEmulatorSuite();

describe('views', () => {
  const modal = (title: string, extra: Record<string, unknown> = {}) => ({
    type: 'modal' as const,
    title: { type: 'plain_text' as const, text: title },
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: title } }],
    ...extra,
  });

  it('opens a modal, consumes the trigger and keeps the view history across updates', async () => {
    const trigger = t.emu.triggerId();
    const opened = await t.client.views.open({
      trigger_id: trigger,
      view: modal('Compose', { callback_id: 'compose', private_metadata: '{"q":1}' }),
    });
    const view = opened.view as {
      id: string;
      hash: string;
      root_view_id: string;
      callback_id: string;
    };
    expect(opened.view).toMatchObject({
      type: 'modal',
      team_id: t.emu.teamId,
      callback_id: 'compose',
      private_metadata: '{"q":1}',
      root_view_id: view.id,
      previous_view_id: null,
      state: { values: {} },
      app_id: t.emu.appId,
      bot_id: t.emu.botId,
    });
    expect(view.id).toMatch(/^V/);
    expect(t.emu.callsTo('views.open')[0]?.args.view).toMatchObject({ callback_id: 'compose' });

    expect(
      await slackError(t.client.views.open({ trigger_id: trigger, view: modal('Again') })),
    ).toBe('exchanged_trigger_id');
    expect(
      await slackError(t.client.views.open({ trigger_id: 'V0NOTATRIG', view: modal('Bad') })),
    ).toBe('invalid_trigger_id');

    const updated = await t.client.views.update({
      view_id: view.id,
      hash: view.hash,
      view: modal('Running'),
    });
    expect(updated.view).toMatchObject({ id: view.id, title: { text: 'Running' } });
    expect(
      await slackError(
        t.client.views.update({ view_id: view.id, hash: view.hash, view: modal('Stale') }),
      ),
    ).toBe('hash_conflict');
    expect(
      await slackError(t.client.views.update({ view_id: 'V0NOPE0001', view: modal('Nope') })),
    ).toBe('not_found');
    expect(
      t.emu.views.get(view.id)?.history.map((v) => (v.title as { text: string }).text),
    ).toEqual(['Compose', 'Running']);
  });

  it('allows at most three views in a stack', async () => {
    const root = await t.client.views.open({ trigger_id: t.emu.triggerId(), view: modal('One') });
    const second = await t.client.views.push({ trigger_id: t.emu.triggerId(), view: modal('Two') });
    await t.client.views.push({ trigger_id: t.emu.triggerId(), view: modal('Three') });
    expect(second.view).toMatchObject({
      root_view_id: root.view?.id,
      previous_view_id: root.view?.id,
    });
    expect(
      await slackError(t.client.views.push({ trigger_id: t.emu.triggerId(), view: modal('Four') })),
    ).toBe('push_limit_reached');
    expect(t.emu.viewStack()).toHaveLength(3);
    t.emu.closeViews();
    expect(
      await slackError(t.client.views.push({ trigger_id: t.emu.triggerId(), view: modal('Five') })),
    ).toBe('not_found');
  });

  it('validates modals the way Slack does', async () => {
    const res = await t.client.views
      .open({
        trigger_id: t.emu.triggerId(),
        view: modal('A title that is far too long for Slack'),
      })
      .catch((e: { data: unknown }) => e.data);
    expect(res).toMatchObject({
      error: 'invalid_arguments',
      response_metadata: { messages: [expect.stringContaining('/view/title/text')] },
    });
    const input = {
      type: 'input',
      label: { type: 'plain_text', text: 'SQL' },
      element: { type: 'plain_text_input', action_id: 'sql' },
    };
    expect(
      await slackError(
        t.client.views.open({
          trigger_id: t.emu.triggerId(),
          view: { ...modal('No submit'), blocks: [input] },
        }),
      ),
    ).toBe('invalid_arguments');
  });

  it('publishes a Home tab per user', async () => {
    const home = {
      type: 'home' as const,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Welcome' } }],
    };
    const first = await t.client.views.publish({ user_id: SLACK_DEFAULTS.userId, view: home });
    const again = await t.client.views.publish({ user_id: SLACK_DEFAULTS.userId, view: home });
    expect(first.view).toMatchObject({ type: 'home' });
    expect(again.view?.id).toBe(first.view?.id);
    expect(t.emu.views.get(first.view?.id as string)?.history).toHaveLength(2);
    expect(await slackError(t.client.views.publish({ user_id: 'U0NOBODY01', view: home }))).toBe(
      'user_not_found',
    );
  });
});
