import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENV_VARIABLES } from '../../src/config.ts';
import { BOT_SCOPES, REDIRECT_PATH } from '../../src/slack/install-flow.ts';
import { ROOT } from '../support/process.ts';

const read = (file: string) => readFile(path.join(ROOT, file), 'utf8');

describe('README and CI agree with the code', () => {
  it('documents every environment variable the config reads', async () => {
    const readme = await read('README.md');
    expect(ENV_VARIABLES.length).toBeGreaterThan(10);
    for (const name of ENV_VARIABLES) expect(readme).toContain(`| \`${name}\` |`);
  });

  it('CI runs exactly the README test command', async () => {
    const readme = await read('README.md');
    const ci = await read('.ci/run');
    const command = /^(\.\/scripts\/test\.sh)\s/m.exec(readme)?.[1];
    expect(command).toBe('./scripts/test.sh');
    expect(ci).toMatch(/^bash scripts\/test\.sh$/m);
  });
});

describe('manifest.yml', () => {
  it('sends commands, interactivity and events to the route the app serves', async () => {
    const manifest = await read('manifest.yml');
    const urls = [...manifest.matchAll(/^\s+(?:url|request_url): (\S+)$/gm)].map((m) => m[1]);
    expect(urls).toHaveLength(3);
    for (const url of urls) expect(url).toBe('https://slack-bot.example.com/slack/events');
    expect(manifest).toMatch(/- command: \/alation\n/);
    expect(manifest).toMatch(/bot_events:\n\s+- app_home_opened\n\s+- link_shared\n/);
  });

  it('asks for no broad scopes', async () => {
    const manifest = await read('manifest.yml');
    const scopes = [...manifest.matchAll(/^\s+- ([a-z.]+:[a-z.]+|commands)\b/gm)].map((m) => m[1]);
    expect(scopes).toContain('commands');
    expect(scopes).toContain('chat:write');
    for (const broad of ['chat:write.public', 'channels:history', 'users:read.email', 'admin']) {
      expect(scopes).not.toContain(broad);
    }
  });
});

describe('manifest.org.yml (distributed by OAuth)', () => {
  const scopesOf = (manifest: string) =>
    [...manifest.matchAll(/^\s+- ([a-z.]+:[a-z.]+|commands)\b/gm)].map((m) => m[1]);
  const eventsOf = (manifest: string) =>
    /bot_events:\n((?:\s+- \w+.*\n)+)/.exec(manifest)?.[1]?.match(/- (\w+)/g);

  it('is manifest.yml made org-wide, with rotating tokens and the OAuth redirect', async () => {
    const [single, org] = await Promise.all([read('manifest.yml'), read('manifest.org.yml')]);
    expect(single).toMatch(/^\s+org_deploy_enabled: false$/m);
    expect(org).toMatch(/^\s+org_deploy_enabled: true$/m);
    expect(org).toMatch(/^\s+token_rotation_enabled: true$/m);
    expect(org).toContain(`- https://slack-bot.example.com${REDIRECT_PATH}\n`);
    expect(scopesOf(org)).toEqual(scopesOf(single));
    expect(eventsOf(org)).toEqual(eventsOf(single));
    for (const needed of ['app_uninstalled', 'tokens_revoked', 'user_change']) {
      expect(eventsOf(single)).toContain(`- ${needed}`);
    }
  });

  it('asks an installing workspace for exactly the manifest’s bot scopes', async () => {
    const single = await read('manifest.yml');
    expect([...BOT_SCOPES].sort()).toEqual(scopesOf(single).sort());
  });
});
