// chat.* (slack/chat.ts).
import { describe, expect, it } from 'vitest';
import { slackError, useSlackEmulatorSuite } from '../../support/slack-emulator-suite.ts';
import { SLACK_DEFAULTS } from '../slack.ts';

const t = useSlackEmulatorSuite();

describe('chat', () => {
  it('posts messages with unique ts and decodes blocks in the recorded args', async () => {
    const blocks = [
      { type: 'section', block_id: 'b1', text: { type: 'mrkdwn', text: 'Result *ready*' } },
    ];
    const first = await t.client.chat.postMessage({
      channel: SLACK_DEFAULTS.channelId,
      text: 'one',
      blocks,
    });
    const second = await t.client.chat.postMessage({
      channel: SLACK_DEFAULTS.channelId,
      text: 'two',
      thread_ts: first.ts,
    });
    expect(first).toMatchObject({
      ok: true,
      channel: SLACK_DEFAULTS.channelId,
      message: { type: 'message', text: 'one', user: t.emu.botUserId, bot_id: t.emu.botId, blocks },
    });
    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(second.ts).not.toBe(first.ts);
    expect(t.emu.callsTo('chat.postMessage')[0]?.args.blocks).toEqual(blocks);
    expect(t.emu.messages(SLACK_DEFAULTS.channelId).map((m) => m.text)).toEqual(['one', 'two']);
    expect(t.emu.thread(SLACK_DEFAULTS.channelId, first.ts as string).map((m) => m.text)).toEqual([
      'two',
    ]);
  });

  it('answers channel_not_found, not_in_channel, no_text and invalid_blocks like Slack', async () => {
    expect(await slackError(t.client.chat.postMessage({ channel: 'C0MISSING1', text: 'x' }))).toBe(
      'channel_not_found',
    );
    expect(await slackError(t.client.chat.postMessage({ channel: 'C0OUT00001', text: 'x' }))).toBe(
      'not_in_channel',
    );
    expect(
      await slackError(t.client.chat.postMessage({ channel: SLACK_DEFAULTS.channelId, text: '' })),
    ).toBe('no_text');
    const tooLong = [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }];
    const error = await t.client.chat
      .postMessage({ channel: SLACK_DEFAULTS.channelId, text: 'x', blocks: tooLong })
      .catch((e: { data: { error: string; response_metadata: { messages: string[] } } }) => e.data);
    expect(error).toMatchObject({
      error: 'invalid_blocks',
      response_metadata: { messages: [expect.stringContaining('/blocks/0/text/text')] },
    });
  });

  it('posts to a user ID in the DM that conversations.open returns', async () => {
    const res = await t.client.chat.postMessage({ channel: 'U0BOB00001', text: 'psst' });
    const opened = await t.client.conversations.open({ users: 'U0BOB00001' });
    expect(opened).toMatchObject({ ok: true, already_open: true, channel: { id: res.channel } });
    expect(res.channel).toMatch(/^D/);
    expect(t.emu.messages(res.channel)).toHaveLength(1);
  });

  it('records ephemeral messages and checks the user', async () => {
    const res = await t.client.chat.postEphemeral({
      channel: SLACK_DEFAULTS.channelId,
      user: SLACK_DEFAULTS.userId,
      text: 'only you',
    });
    expect(res.message_ts).toMatch(/^\d+\.\d+$/);
    expect(t.emu.ephemerals).toEqual([
      {
        channel: SLACK_DEFAULTS.channelId,
        user: SLACK_DEFAULTS.userId,
        message_ts: res.message_ts,
        text: 'only you',
      },
    ]);
    expect(t.emu.messages()).toHaveLength(0);
    expect(
      await slackError(
        t.client.chat.postEphemeral({
          channel: SLACK_DEFAULTS.channelId,
          user: 'U0NOBODY01',
          text: 'x',
        }),
      ),
    ).toBe('user_not_found');
  });

  it('updates a message in place, keeping blocks the update omits, and deletes it', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'Running…' } }];
    const posted = await t.client.chat.postMessage({
      channel: SLACK_DEFAULTS.channelId,
      text: 'running',
      blocks,
    });
    const ts = posted.ts as string;
    const updated = await t.client.chat.update({
      channel: SLACK_DEFAULTS.channelId,
      ts,
      text: 'done',
    });
    expect(updated).toMatchObject({
      ok: true,
      channel: SLACK_DEFAULTS.channelId,
      ts,
      text: 'done',
    });
    const current = t.emu.message(SLACK_DEFAULTS.channelId, ts);
    expect(current).toMatchObject({ text: 'done', blocks, edited: { user: t.emu.botUserId } });
    expect(current?.history.map((h) => h.text)).toEqual(['running', 'done']);

    expect(
      await slackError(
        t.client.chat.update({ channel: SLACK_DEFAULTS.channelId, ts: '1.000001', text: 'x' }),
      ),
    ).toBe('message_not_found');
    expect(await t.client.chat.delete({ channel: SLACK_DEFAULTS.channelId, ts })).toMatchObject({
      ok: true,
      ts,
    });
    expect(t.emu.messages()).toHaveLength(0);
    expect(await slackError(t.client.chat.delete({ channel: SLACK_DEFAULTS.channelId, ts }))).toBe(
      'message_not_found',
    );
    expect(
      await slackError(t.client.chat.update({ channel: SLACK_DEFAULTS.channelId, ts, text: 'x' })),
    ).toBe('message_not_found');
  });
});
