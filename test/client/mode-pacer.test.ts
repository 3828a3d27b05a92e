import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttp } from '../../src/client/http.ts';
import { createModeClient } from '../../src/client/mode.ts';
import { createPacer } from '../../src/client/pacer.ts';
import { type ModeEmulator, startModeEmulator } from '../emulators/mode.ts';

let mode: ModeEmulator;
beforeEach(async () => {
  mode = await startModeEmulator({ knobs: { rateLimit: { max: 3, windowMs: 600 } } });
});
afterEach(() => mode.close());

describe('Mode requests past the per-token rate', () => {
  it('queue and all succeed, where unpaced ones meet 429', async () => {
    mode.addWorkspace('acme');
    const api = mode.addApiToken({ workspaces: ['acme'] });
    const http = createHttp({ baseUrl: mode.url, service: 'Mode', retry: { attempts: 1 } });
    const credentials = { token: api.token, secret: api.secret };

    // The pacer's window is wider than the emulator's 600 ms, so late arrivals of one batch
    // (a busy machine) cannot make the next batch look early to the server.
    const paced = createModeClient({
      http,
      credentials,
      pacer: createPacer({ limit: 3, windowMs: 1_000 }),
    });
    const accounts = await Promise.all(Array.from({ length: 7 }, () => paced.getAccount('acme')));
    expect(accounts.map((a) => a.username)).toEqual(Array(7).fill('acme'));
    expect(mode.requests.filter((r) => r.path === '/api/acme')).toHaveLength(7);

    await new Promise((r) => setTimeout(r, 1_000));
    const unpaced = createModeClient({ http, credentials });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 7 }, () => unpaced.getAccount('acme')),
    );
    expect(outcomes.filter((o) => o.status === 'rejected').length).toBeGreaterThan(0);
    await http.close();
  });
});
