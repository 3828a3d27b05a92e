// The audience finding in words either way (issue 18), as the digest and alert forms show it.
import { describe, expect, it } from 'vitest';
import { type AudienceSummary, findingSentence } from '../../../src/views/audience.ts';

const finding = (over: Partial<AudienceSummary> = {}): AudienceSummary => ({
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
    expect(findingSentence(finding({ cannotSee: ['U2', 'U3', 'U4'] }))).toBe(
      '3 of 24 members of <#C1> cannot see query 15 in Alation, 1 has not connected.',
    );
  });

  it('says everyone connected can, and when the check was partial', () => {
    expect(findingSentence(finding())).toBe(
      'Everyone in <#C1> who has connected Alation can see query 15.',
    );
    expect(findingSentence(finding({ complete: false, checked: 500 }))).toBe(
      'Everyone in <#C1> who has connected Alation can see query 15 (of the first 500 members checked: the channel has more).',
    );
  });
});
