import { describe, expect, it } from 'vitest';
import { buildHomeView } from '../../../src/views/home.ts';
import type { ConnectionSummary } from '../../../src/views/whoami.ts';
import { textOf } from '../../support/flows.ts';

const missing = (provider: 'alation' | 'mode'): ConnectionSummary => ({
  provider,
  status: 'missing',
  profile: {},
});
const fmt = (iso: string) => `at ${iso}`;

describe('home view', () => {
  it('first-run page for someone not connected', () => {
    const view = buildHomeView({
      alation: missing('alation'),
      mode: missing('mode'),
      watches: [],
      formatDate: fmt,
    });
    expect(view.type).toBe('home');
    expect(textOf(view)).toContain('Welcome to Alation in Slack');
    expect(textOf(view)).not.toContain('Jobs you are watching');
  });

  it('status, reconnect reason, disconnect with confirmation, and watches', () => {
    const view = buildHomeView({
      alation: {
        provider: 'alation',
        status: 'reconnect',
        profile: {},
        reason: 'refresh_token_expired',
      },
      mode: { provider: 'mode', status: 'active', profile: { workspace: 'acme' } },
      watches: [{ label: 'job 42', channelId: 'C1', jobStatus: 'RUNNING', started: 'today 10:00' }],
      formatDate: fmt,
    });
    const text = textOf(view);
    expect(text).toContain('needs reconnecting: your Alation refresh token has expired');
    expect(text).toContain('connected to workspace `acme`');
    expect(text).toContain('• *job 42* · running · started today 10:00 · in <#C1>');
    const json = JSON.stringify(view);
    expect(json).toContain('"action_id":"home_disconnect","value":"mode"');
    expect(json).toContain('"confirm"');
  });

  it('says when no watches run', () => {
    const view = buildHomeView({
      alation: {
        provider: 'alation',
        status: 'active',
        profile: { alationUserId: 7, refreshTokenExpiresAt: '2027-01-01' },
      },
      mode: missing('mode'),
      watches: [],
      formatDate: fmt,
    });
    expect(textOf(view)).toContain(
      'connected as Alation user 7. The refresh token expires at 2027-01-01.',
    );
    expect(textOf(view)).toContain('None running.');
  });
});
