// users.* and conversations.* (slack/conversations.ts).
import { describe, expect, it } from 'vitest';
import { slackError, useSlackEmulatorSuite } from '../../support/slack-emulator-suite.ts';
import { SLACK_DEFAULTS } from '../slack.ts';

const t = useSlackEmulatorSuite();

describe('users and conversations', () => {
  it('returns seeded users with their time zone', async () => {
    const res = await t.client.users.info({ user: 'U0BOB00001' });
    expect(res.user).toMatchObject({
      id: 'U0BOB00001',
      name: 'bob',
      real_name: 'Bob Builder',
      tz: 'America/New_York',
      tz_label: 'Eastern Standard Time',
      tz_offset: -18000,
      profile: { display_name: 'bobby', real_name: 'Bob Builder' },
    });
    expect(await slackError(t.client.users.info({ user: 'U0NOBODY01' }))).toBe('user_not_found');
    t.emu.addUser({ id: 'U0LATE0001', name: 'late', tz: 'Asia/Tokyo', tz_offset: 32400 });
    expect((await t.client.users.info({ user: 'U0LATE0001' })).user).toMatchObject({
      tz: 'Asia/Tokyo',
    });
  });

  it('pages channel members as Slack does, with its errors', async () => {
    const members = Array.from({ length: 5 }, (_, i) => `U0MEMBER0${i}`);
    t.emu.addChannel({ id: 'C0MEMBERS1', name: 'members', members });
    const first = await t.client.conversations.members({ channel: 'C0MEMBERS1', limit: 2 });
    expect(first.members).toEqual(members.slice(0, 2));
    const cursor = first.response_metadata?.next_cursor ?? '';
    expect(cursor).not.toBe('');
    const rest = await t.client.conversations.members({ channel: 'C0MEMBERS1', cursor, limit: 10 });
    expect(rest.members).toEqual(members.slice(2));
    expect(rest.response_metadata?.next_cursor).toBe('');
    expect(await slackError(t.client.conversations.members({ channel: 'C0MISSING1' }))).toBe(
      'channel_not_found',
    );
    expect(
      await slackError(t.client.conversations.members({ channel: 'C0MEMBERS1', limit: 1000 })),
    ).toBe('invalid_limit');
    expect(
      await slackError(t.client.conversations.members({ channel: 'C0MEMBERS1', cursor: 'bogus' })),
    ).toBe('invalid_cursor');
  });

  it('describes channels and DMs', async () => {
    expect((await t.client.conversations.info({ channel: 'C0PRIV0001' })).channel).toMatchObject({
      id: 'C0PRIV0001',
      name: 'secret-stuff',
      is_private: true,
      is_channel: false,
      is_member: true,
    });
    t.emu.addChannel({ id: 'C0NEW00001', name: 'fresh' });
    expect((await t.client.conversations.info({ channel: 'C0NEW00001' })).channel?.name).toBe(
      'fresh',
    );
    expect(await slackError(t.client.conversations.info({ channel: 'C0MISSING1' }))).toBe(
      'channel_not_found',
    );

    const dm = await t.client.conversations.open({ users: SLACK_DEFAULTS.userId });
    expect(dm).toMatchObject({ ok: true, channel: { id: t.emu.dmChannel(SLACK_DEFAULTS.userId) } });
    expect(dm).not.toHaveProperty('already_open');
    expect(
      (await t.client.conversations.info({ channel: dm.channel?.id as string })).channel,
    ).toMatchObject({
      is_im: true,
      user: SLACK_DEFAULTS.userId,
    });
    expect(await slackError(t.client.conversations.open({ users: 'U0NOBODY01' }))).toBe(
      'user_not_found',
    );
  });
});
