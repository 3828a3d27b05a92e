import { describe, expect, it } from 'vitest';
import { jobClients } from '../../../src/queue/job-clients.ts';
import type { SlackClient, SlackClients } from '../../../src/slack/clients.ts';
import { captureLog } from '../../support/log.ts';

const clientOf = (name: string) => ({ name }) as unknown as SlackClient;

function setup(installed: Record<string, string>) {
  const clients: SlackClients = {
    singleToken: false,
    base: clientOf('base'),
    forTeam: async () => undefined,
    forTenant: async (tenantId) =>
      installed[tenantId] ? clientOf(installed[tenantId]) : undefined,
    refreshDue: async () => 0,
  };
  const paused: string[] = [];
  const unscheduled: string[] = [];
  const owner = (tenantId: string) => ({ owner: { tenantId, userId: 'U1' } });
  const features = {
    digests: {
      get: async (id: string) => (id === 'gone' ? undefined : { id, ...owner(id.slice(2)) }),
    },
    watches: { get: async (id: string) => owner(id.slice(2)) },
    alerts: { get: async (id: string) => owner(id.slice(2)) },
    flagRequests: {
      get: async (id: string) => ({ requester: { tenantId: id.slice(2), userId: 'U1' } }),
    },
    lifecycle: {
      pauseDigest: async (id: string, reason: string) => {
        paused.push(`${id}:${reason}`);
        return true;
      },
    },
    digestScheduler: () => ({
      unschedule: async (id: string) => {
        unscheduled.push(id);
      },
    }),
  } as never;
  return { jobs: jobClients(clients, features, captureLog().log), paused, unscheduled };
}

describe('the client a background job posts with', () => {
  it('is the installation of the workspace that owns the job', async () => {
    const { jobs } = setup({ T1: 'one', T2: 'two' });
    expect(await jobs.forDigest('d:T1')).toEqual({ name: 'one' });
    expect(await jobs.forWatch('w:T2')).toEqual({ name: 'two' });
    expect(await jobs.forAlert('a:T1')).toEqual({ name: 'one' });
    expect(await jobs.forFlagRequest('f:T2')).toEqual({ name: 'two' });
  });

  it('is none for a workspace without an installation, and its digest is paused with why', async () => {
    const { jobs, paused, unscheduled } = setup({ T1: 'one' });
    expect(await jobs.forDigest('d:T9')).toBeUndefined();
    expect(paused).toEqual(['d:T9:installation_gone']);
    expect(unscheduled).toEqual(['d:T9']);
    expect(await jobs.forWatch('w:T9')).toBeUndefined();
    expect(await jobs.forAlert('a:T9')).toBeUndefined();
    expect(await jobs.forFlagRequest('f:T9')).toBeUndefined();
    // A digest deleted meanwhile pauses nothing.
    expect(await jobs.forDigest('gone')).toBeUndefined();
    expect(paused).toHaveLength(1);
  });
});
