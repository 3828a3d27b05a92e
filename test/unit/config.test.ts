import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';

const valid = {
  SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
  SLACK_SIGNING_SECRET: 'signing-secret',
  ALATION_BASE_URL: 'https://alation.example.com/',
};
const key = Buffer.alloc(32, 7).toString('base64');

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const result = loadConfig(valid);
    expect(result).toEqual({
      ok: true,
      config: {
        production: false,
        slack: {
          botToken: 'xoxb-1-2-abc',
          signingSecret: 'signing-secret',
          appToken: undefined,
          apiUrl: undefined,
        },
        port: 3000,
        alationBaseUrl: 'https://alation.example.com',
        modeBaseUrl: 'https://app.mode.com',
        databaseUrl: undefined,
        dataDir: './data',
        tokenEncryptionKeys: [],
        publicUrl: undefined,
        alationOAuth: undefined,
        logLevel: 'info',
        flagRequests: { remindAfterMs: 2 * 86_400_000, expireAfterMs: 14 * 86_400_000 },
        audience: { policy: 'ask', maxMembers: 500 },
        slackPostsPerMinute: 60,
      },
    });
  });

  it('reads SLACK_POSTS_PER_MINUTE, and says what is expected when it is wrong', () => {
    const read = loadConfig({ ...valid, SLACK_POSTS_PER_MINUTE: '2700' });
    if (!read.ok) throw new Error(read.problems.join('\n'));
    expect(read.config.slackPostsPerMinute).toBe(2700);
    for (const bad of ['0', 'fast', '10000']) {
      const wrong = loadConfig({ ...valid, SLACK_POSTS_PER_MINUTE: bad });
      expect(wrong.ok).toBe(false);
      if (wrong.ok) return;
      expect(wrong.problems.join('\n')).toContain(
        'SLACK_POSTS_PER_MINUTE must be a number of posts a minute between 1 and 6000',
      );
    }
  });

  it('reads AUDIENCE_CHECK and its member cap, and names the choices when one is wrong', () => {
    const read = loadConfig({ ...valid, AUDIENCE_CHECK: 'warn', AUDIENCE_CHECK_MAX_MEMBERS: '50' });
    if (!read.ok) throw new Error(read.problems.join('\n'));
    expect(read.config.audience).toEqual({ policy: 'warn', maxMembers: 50 });
    const wrong = loadConfig({
      ...valid,
      AUDIENCE_CHECK: 'always',
      AUDIENCE_CHECK_MAX_MEMBERS: '0',
    });
    expect(wrong.ok).toBe(false);
    if (wrong.ok) return;
    expect(wrong.problems.join('\n')).toContain('AUDIENCE_CHECK must be one of ask, warn, off');
    expect(wrong.problems.join('\n')).toContain(
      'AUDIENCE_CHECK_MAX_MEMBERS must be a whole number',
    );
  });

  it('reads the flag request timers in days, the reminder before the expiry', () => {
    const read = loadConfig({
      ...valid,
      FLAG_REQUEST_REMIND_DAYS: '0.5',
      FLAG_REQUEST_EXPIRE_DAYS: '7',
    });
    if (!read.ok) throw new Error(read.problems.join('\n'));
    expect(read.config.flagRequests).toEqual({
      remindAfterMs: 43_200_000,
      expireAfterMs: 7 * 86_400_000,
    });
    const backwards = loadConfig({ ...valid, FLAG_REQUEST_REMIND_DAYS: '20' });
    expect(backwards).toEqual({
      ok: false,
      problems: [expect.stringMatching(/^FLAG_REQUEST_REMIND_DAYS \(20\) must be less than/)],
    });
    const bad = loadConfig({ ...valid, FLAG_REQUEST_EXPIRE_DAYS: 'soon' });
    expect(bad.ok ? [] : bad.problems).toEqual([
      expect.stringMatching(/^FLAG_REQUEST_EXPIRE_DAYS must be a number of days/),
    ]);
  });

  it('reads every variable', () => {
    const result = loadConfig({
      ...valid,
      NODE_ENV: 'production',
      SLACK_APP_TOKEN: 'xapp-1-A1-xyz',
      SLACK_API_URL: 'http://127.0.0.1:4000/api/',
      PORT: '8080',
      MODE_BASE_URL: 'https://mode.internal',
      DATABASE_URL: 'postgres://bot:pw@db:5432/bot',
      DATA_DIR: '/var/lib/bot',
      TOKEN_ENCRYPTION_KEY: key,
      LOG_LEVEL: 'debug',
    });
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.config).toMatchObject({
      production: true,
      slack: { appToken: 'xapp-1-A1-xyz', apiUrl: 'http://127.0.0.1:4000/api/' },
      port: 8080,
      modeBaseUrl: 'https://mode.internal',
      databaseUrl: 'postgres://bot:pw@db:5432/bot',
      dataDir: '/var/lib/bot',
      logLevel: 'debug',
    });
    expect(result.config.tokenEncryptionKeys).toEqual([
      { label: 'TOKEN_ENCRYPTION_KEY', key: Buffer.alloc(32, 7) },
    ]);
  });

  it('names both variables, one line each, for a bad URL and a missing signing secret', () => {
    const { SLACK_SIGNING_SECRET: _omitted, ...rest } = valid;
    const result = loadConfig({ ...rest, ALATION_BASE_URL: 'not a url' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(2);
    expect(result.problems[0]).toMatch(/^SLACK_SIGNING_SECRET is required/);
    expect(result.problems[1]).toMatch(/^ALATION_BASE_URL must be an http\(s\) URL .*"not a url"/);
  });

  it.each([
    ['SLACK_BOT_TOKEN', 'xoxp-user-token', /starts with xoxb-/],
    ['SLACK_APP_TOKEN', 'xoxb-wrong-kind', /starts with xapp-/],
    ['PORT', 'eighty', /TCP port/],
    ['PORT', '70000', /TCP port/],
    ['ALATION_BASE_URL', 'ftp://alation.example.com', /http\(s\) URL/],
    ['MODE_BASE_URL', 'mode.com', /http\(s\) URL/],
    ['DATABASE_URL', 'mysql://db/bot', /PostgreSQL URL/],
    ['TOKEN_ENCRYPTION_KEY', Buffer.alloc(16).toString('base64'), /exactly 32 random bytes/],
    ['TOKEN_ENCRYPTION_KEY', 'not base64!', /exactly 32 random bytes/],
    ['LOG_LEVEL', 'verbose', /one of fatal, error, warn, info, debug, trace, silent/],
  ])('rejects %s=%s with a message naming it', (name, value, message) => {
    const result = loadConfig({ ...valid, [name]: value });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]?.startsWith(`${name} `)).toBe(true);
    expect(result.problems[0]).toMatch(message);
  });

  it('reads a keyring newest first, then TOKEN_ENCRYPTION_KEY', () => {
    const newer = Buffer.alloc(32, 1).toString('base64');
    const older = Buffer.alloc(32, 2).toString('base64');
    const result = loadConfig({
      ...valid,
      TOKEN_ENCRYPTION_KEYS: ` k2026:${newer} , k2025:${older}`,
      TOKEN_ENCRYPTION_KEY: key,
    });
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.config.tokenEncryptionKeys.map((k) => k.label)).toEqual([
      'k2026',
      'k2025',
      'TOKEN_ENCRYPTION_KEY',
    ]);
    expect(result.config.tokenEncryptionKeys[0]?.key.equals(Buffer.alloc(32, 1))).toBe(true);
  });

  it.each([
    ['no label', Buffer.alloc(32).toString('base64')],
    ['short key', `k1:${Buffer.alloc(16).toString('base64')}`],
    ['second entry bad', `k1:${Buffer.alloc(32).toString('base64')},k2:nope`],
  ])('rejects TOKEN_ENCRYPTION_KEYS with %s', (_why, value) => {
    const result = loadConfig({ ...valid, TOKEN_ENCRYPTION_KEYS: value });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      expect.stringMatching(/^TOKEN_ENCRYPTION_KEYS entry \d must look like label:<base64/),
    ]);
    expect(result.problems[0]).not.toContain(Buffer.alloc(32).toString('base64'));
  });

  it('accepts a keyring instead of TOKEN_ENCRYPTION_KEY in production', () => {
    const result = loadConfig({
      ...valid,
      NODE_ENV: 'production',
      TOKEN_ENCRYPTION_KEYS: `k1:${key}`,
    });
    expect(result.ok).toBe(true);
  });

  it('configures Sign in with Alation, which needs PUBLIC_URL', () => {
    const missing = loadConfig({ ...valid, ALATION_OAUTH_CLIENT_ID: 'slack-bot' });
    expect(missing.ok || missing.problems).toEqual([
      expect.stringMatching(/^PUBLIC_URL is required when ALATION_OAUTH_CLIENT_ID is set/),
    ]);
    const secretOnly = loadConfig({ ...valid, ALATION_OAUTH_CLIENT_SECRET: 's' });
    expect(secretOnly.ok || secretOnly.problems).toEqual([
      expect.stringMatching(/^ALATION_OAUTH_CLIENT_ID is required/),
    ]);
    const ok = loadConfig({
      ...valid,
      ALATION_OAUTH_CLIENT_ID: 'slack-bot',
      ALATION_OAUTH_CLIENT_SECRET: 'shh',
      PUBLIC_URL: 'https://bot.example.com/',
    });
    expect(ok.ok && ok.config).toMatchObject({
      publicUrl: 'https://bot.example.com',
      alationOAuth: { clientId: 'slack-bot', clientSecret: 'shh' },
    });
  });

  it('distributes by Slack OAuth with client id, secret and state secret, and no bot token', () => {
    const { SLACK_BOT_TOKEN: _token, ...rest } = valid;
    const oauth = {
      SLACK_CLIENT_ID: '123.456',
      SLACK_CLIENT_SECRET: 'client-secret',
      SLACK_STATE_SECRET: 'a-long-random-state-secret',
    };
    const ok = loadConfig({ ...rest, ...oauth });
    expect(ok.ok && ok.config.slack).toMatchObject({
      botToken: undefined,
      oauth: { clientId: '123.456', clientSecret: 'client-secret' },
    });
    const neither = loadConfig(rest);
    expect(neither.ok || neither.problems).toEqual([
      expect.stringMatching(/^SLACK_BOT_TOKEN is required: .* or set SLACK_CLIENT_ID/),
    ]);
    const partial = loadConfig({ ...rest, SLACK_CLIENT_ID: '123.456' });
    expect(partial.ok || partial.problems.map((p) => p.split(' ')[0])).toEqual([
      'SLACK_CLIENT_SECRET',
      'SLACK_STATE_SECRET',
    ]);
    const both = loadConfig({ ...valid, ...oauth });
    expect(both.ok || both.problems).toEqual([
      expect.stringMatching(/^SLACK_BOT_TOKEN must not be set together with SLACK_CLIENT_ID/),
    ]);
    const socket = loadConfig({ ...rest, ...oauth, SLACK_APP_TOKEN: 'xapp-1' });
    expect(socket.ok || socket.problems).toEqual([
      expect.stringMatching(/^SLACK_APP_TOKEN \(Socket Mode\) cannot be combined/),
    ]);
    expect(JSON.stringify([partial, both, socket])).not.toContain('client-secret');
  });

  it('treats empty strings as unset', () => {
    const result = loadConfig({ ...valid, PORT: '', DATA_DIR: '', SLACK_APP_TOKEN: '' });
    expect(result.ok && result.config).toMatchObject({ port: 3000, dataDir: './data' });
    expect(result.ok && result.config.slack.appToken).toBeUndefined();
  });

  it('requires TOKEN_ENCRYPTION_KEY in production, reported with the other problems', () => {
    const result = loadConfig({ ...valid, NODE_ENV: 'production', PORT: 'x' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.split(' ')[0])).toEqual(['PORT', 'TOKEN_ENCRYPTION_KEY']);
    expect(result.problems[1]).toMatch(/required when NODE_ENV=production/);
  });

  it('never echoes a secret value back in a problem', () => {
    const result = loadConfig({ ...valid, SLACK_BOT_TOKEN: 'xoxp-secret-value' });
    expect(JSON.stringify(result)).not.toContain('secret-value');
  });
});
