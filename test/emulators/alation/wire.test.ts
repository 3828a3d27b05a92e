// Django's and DRF's answers to requests the API cannot route or read (alation/wire.ts).
import { describe, expect, it } from 'vitest';
import { expectJson, useAlationEmulatorSuite } from '../../support/alation-emulator-suite.ts';

const t = useAlationEmulatorSuite();

describe('Django and DRF answers to bad requests', () => {
  it('answers unknown URLs with Django’s HTML 404 and wrong methods with 405', async () => {
    const res = await t.call('/integration/v2/nothing/', { token: t.aliceToken });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    await expectJson(
      await t.call('/integration/flag/1/', { token: t.aliceToken, method: 'PATCH', json: {} }),
      405,
      {
        detail: 'Method "PATCH" not allowed.',
      },
    );
  });

  it('rejects unreadable bodies the way DRF does', async () => {
    const bad = await fetch(`${t.emu.url}/integration/flag/`, {
      method: 'POST',
      headers: { TOKEN: t.aliceToken, 'content-type': 'application/json' },
      body: '{"flag_type":',
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { detail: string }).detail).toMatch(/^JSON parse error/);
    const plain = await fetch(`${t.emu.url}/integration/flag/`, {
      method: 'POST',
      headers: { TOKEN: t.aliceToken, 'content-type': 'text/plain' },
      body: 'flag_type=WARNING',
    });
    await expectJson(plain, 415, { detail: 'Unsupported media type "text/plain" in request.' });
  });
});
