// response_url posts (slack/response-urls.ts).
import { describe, expect, it } from 'vitest';
import { useSlackEmulatorSuite } from '../../support/slack-emulator-suite.ts';

const t = useSlackEmulatorSuite();

describe('response_url', () => {
  it('records response_url posts and stops accepting them after five', async () => {
    const url = t.emu.responseUrl();
    const post = (body: unknown) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    for (let i = 1; i <= 5; i += 1) {
      expect((await post({ text: `update ${i}`, replace_original: true })).status).toBe(200);
    }
    const sixth = await post({ text: 'one too many' });
    expect(sixth.status).toBe(404);
    expect(await sixth.text()).toBe('used_url');
    expect(t.emu.responsesTo(url).map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 404]);
    expect(t.emu.responsesTo(url)[0]).toMatchObject({
      body: { text: 'update 1', replace_original: true },
    });

    const fresh = t.emu.responseUrl();
    const empty = await fetch(fresh, {
      method: 'POST',
      body: JSON.stringify({ response_type: 'ephemeral' }),
    });
    expect(empty.status).toBe(400);
    const unknown = await fetch(`${t.emu.url}/response/never-minted`, {
      method: 'POST',
      body: '{"text":"x"}',
    });
    expect(unknown.status).toBe(404);
  });
});
