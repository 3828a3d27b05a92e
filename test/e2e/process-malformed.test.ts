import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postSigned, slashCommand } from '../driver.ts';
import { type SlackEmulator, startSlackEmulator } from '../emulators/slack.ts';
import { freePort, spawnBot, waitForStatus } from '../support/process.ts';

let slack: SlackEmulator;
beforeAll(async () => {
  slack = await startSlackEmulator();
});
afterAll(() => slack.close());

describe('the real process and malformed requests', () => {
  it('answers signed null bodies with 400 and keeps running (they used to exit it with code 1)', async () => {
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const signingSecret = 'process-malformed-secret';
    const bot = spawnBot({
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_API_URL: slack.apiUrl,
      ALATION_BASE_URL: 'http://127.0.0.1:9',
      DATA_DIR: await mkdtemp(path.join(tmpdir(), 'bot-malformed-')),
      PORT: String(port),
      LOG_LEVEL: 'info',
    });
    try {
      await waitForStatus(`${origin}/healthz`, 200, bot);
      const target = { url: `${origin}/slack/events`, signingSecret };
      const form = await postSigned(target, 'payload=null', 'application/x-www-form-urlencoded');
      const json = await postSigned(target, 'null', 'application/json');
      expect([form.status, json.status]).toEqual([400, 400]);
      expect((await fetch(`${origin}/healthz`)).status).toBe(200);
      expect((await slashCommand(target, { text: 'help' })).status).toBe(200);
      expect(bot.stdout()).toContain('refused a malformed Slack request');
      expect(bot.stdout()).toContain('the body is null, not an object');
    } finally {
      bot.child.kill('SIGTERM');
      expect((await bot.exited).code).toBe(0);
    }
  });
});
