// Who gets a personal copy's data: only a subscriber whose latest visible result of the query,
// asked of Alation as them, is the very result the run shows.
import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../../../src/client/errors.ts';
import { type CopyDeps, deliverCopyBatch } from '../../../src/digests/personal-copies.ts';
import { captureLog } from '../../support/log.ts';

const DIGEST = {
  id: 'd1',
  name: 'Morning sales',
  owner: { tenantId: 'T1', userId: 'U0' },
  channelId: 'C1',
  params: { kind: 'query_result', queryId: 15, attachCsv: false, onlyIfChanged: false },
};
const RUN = { message: { text: 'EMEA 1,200', blocks: [] }, resultId: 321 };

/** Each subscriber's latest visible result id (or a refusal), and the DMs sent. */
function setup(latest: Record<string, number | null | 'forbidden'>) {
  const dms: { channel: string; text: string }[] = [];
  const asked: string[] = [];
  const deps = {
    digests: { get: async () => DIGEST },
    subscriptions: {
      run: async () => RUN,
      page: async () =>
        Object.keys(latest).map((userId) => ({
          subjectId: 'd1',
          owner: { tenantId: 'T1', userId },
          reconnectToldAt: null,
        })),
      claims: {
        claim: async () => ({ state: 'claimed' }),
        finish: async () => {},
        release: async () => {},
      },
    },
    credentials: { load: async () => ({ state: 'connected' }) },
    alationFor: (owner: { userId: string }) => ({
      queries: {
        latestResult: async () => {
          asked.push(owner.userId);
          const theirs = latest[owner.userId];
          if (theirs === 'forbidden')
            throw new ForbiddenError({
              service: 'Alation',
              method: 'GET',
              path: '/integration/v1/query/15/result/latest/',
              status: 403,
            });
          return theirs === null || theirs === undefined ? null : { id: theirs, truncated: false };
        },
      },
    }),
    slack: {
      chat: {
        postMessage: async (m: { channel: string; text: string }) => {
          dms.push({ channel: m.channel, text: m.text });
          return { ok: true };
        },
      },
    },
    log: captureLog().log,
    now: () => new Date('2026-12-02T09:00:00Z'),
  } as unknown as CopyDeps;
  return { deps, dms, asked };
}

describe('deliverCopyBatch', () => {
  it('sends the data only where the latest visible result is the run’s, asking once each', async () => {
    const { deps, dms, asked } = setup({
      UADA: 321,
      // Sees the query but another result of it (an older one Alation lets them see).
      UCY: 300,
      UBOB: 'forbidden',
      // Alation shows them no result of the query at all.
      UDEE: null,
    });
    const outcome = await deliverCopyBatch(deps, {
      subject: 'digest',
      id: 'd1',
      slot: '2026-12-02T09:00:00.000Z',
      offset: 0,
      limit: 50,
    });
    expect(asked.sort()).toEqual(['UADA', 'UBOB', 'UCY', 'UDEE']);
    const to = (u: string) => dms.find((d) => d.channel === u)?.text ?? '';
    expect(to('UADA')).toContain('EMEA 1,200');
    for (const u of ['UBOB', 'UCY', 'UDEE']) expect(to(u)).not.toContain('EMEA');
    expect(to('UCY')).toContain('a different result of query 15');
    expect(to('UBOB')).toContain('You cannot see query 15');
    expect(to('UDEE')).toContain('You cannot see query 15');
    expect(outcome).toMatchObject({ posted: 1, noAccess: 3 });
  });
});
