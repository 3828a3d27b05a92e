// The hostile-text table for the audience check and personal copies (issue 18): the query's
// title from Alation, and anything a button carries back, get the hostile string raw.
import * as audience from '../../../src/views/audience.ts';
import type { Builder } from './hostile-fixtures.ts';

const finding = {
  channelId: 'C1',
  object: { kind: 'query' as const, id: 15 },
  checked: 24,
  complete: false,
  canSee: ['U1'],
  cannotSee: ['U2', 'U3', 'U4'],
  notConnected: ['U5'],
  unknown: ['U6'],
};

export const AUDIENCE_BUILDERS: Record<string, Record<string, Builder>> = {
  'audience.ts': {
    buildAudienceChoice: (h) => audience.buildAudienceChoice({ finding, title: h, value: h }),
    buildAudienceWarning: () => audience.buildAudienceWarning(finding),
    buildSentEachNotice: () => audience.buildSentEachNotice(3, 1, finding),
  },
};
