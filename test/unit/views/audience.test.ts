import { describe, expect, it } from 'vitest';
import {
  type AudienceSummary,
  announceActions,
  buildAudienceChoice,
  findingSentence,
  SHARE_ACTIONS,
  seenByLine,
} from '../../../src/views/audience.ts';

const findingOf = (over: Partial<AudienceSummary> = {}): AudienceSummary => ({
  channelId: 'C1',
  object: { kind: 'query', id: 15 },
  checked: 24,
  complete: true,
  canSee: ['U1'],
  cannotSee: [],
  notConnected: ['U5'],
  unknown: [],
  ...over,
});

describe('findingSentence', () => {
  it('says who cannot see it when some cannot', () => {
    expect(findingSentence(findingOf({ cannotSee: ['U2', 'U3', 'U4'] }))).toBe(
      '3 of 24 members of <#C1> cannot see query 15 in Alation, 1 has not connected.',
    );
  });

  it('says everyone connected can, and when the check was partial', () => {
    expect(findingSentence(findingOf())).toBe(
      'Everyone in <#C1> who has connected Alation can see query 15.',
    );
    expect(findingSentence(findingOf({ complete: false, checked: 500 }))).toBe(
      'Everyone in <#C1> who has connected Alation can see query 15 (of the first 500 members checked: the channel has more).',
    );
  });
});

const finding = {
  channelId: 'C1',
  object: { kind: 'query' as const, id: 15 },
  checked: 4,
  complete: true,
  canSee: ['U1', 'U2'],
  cannotSee: ['U3'],
  notConnected: ['U4'],
  unknown: [],
};

const actionIds = (m: ReturnType<typeof buildAudienceChoice>) =>
  m.blocks.flatMap((b) =>
    b.type === 'actions' ? b.elements.map((e) => ('action_id' in e ? e.action_id : '')) : [],
  );

describe('seenByLine', () => {
  it('names the viewer without a mention, escaped', () => {
    const line = seenByLine(undefined, { userId: 'U0ADA', name: 'Ada <@U0BOB> & <!here>' });
    expect(line).toBe('As seen by Ada &lt;@U0BOB&gt; &amp; &lt;!here&gt; in Alation.');
    expect(line).not.toMatch(/<[@!#]/);
  });

  it('falls back to the Slack id as text when Slack gave no name', () => {
    expect(seenByLine(undefined, { userId: 'U0ADA' })).toBe(
      'As seen by Slack user U0ADA in Alation.',
    );
  });

  it('says what the check found, then whose eyes', () => {
    expect(seenByLine(finding, { userId: 'U0ADA', name: 'ada' })).toBe(
      '1 of 4 members here may not be able to see this query in Alation · as seen by ada in Alation.',
    );
    expect(seenByLine({ ...finding, cannotSee: [] }, { userId: 'U0ADA', name: 'ada' })).toBe(
      'Everyone here who has connected Alation can see this query · as seen by ada in Alation.',
    );
  });
});

describe('buildAudienceChoice', () => {
  it('carries the buttons of the kind of post it is about', () => {
    expect(actionIds(buildAudienceChoice({ finding, title: 'T', value: 'v' }))).toEqual([
      SHARE_ACTIONS.anyway,
      SHARE_ACTIONS.each,
      SHARE_ACTIONS.cancel,
    ]);
    const flag = announceActions('flag');
    expect(
      actionIds(buildAudienceChoice({ finding, title: 'T', value: 'v', actions: flag })),
    ).toEqual([flag.anyway, flag.each, flag.cancel]);
    expect(new Set([...Object.values(flag), ...Object.values(announceActions('query'))]).size).toBe(
      6,
    );
  });
});
