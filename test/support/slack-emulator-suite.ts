// What the Slack emulator's own suites (test/emulators/slack/*.test.ts) share: one emulator with
// a second user and two more channels, WebClients pointed at it, and a reset after every test.
// The returned object is filled in by the hooks; read it inside tests.
import { webApi } from '@slack/bolt';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { captureLogger } from '../driver.ts';
import { type SlackEmulator, startSlackEmulator } from '../emulators/slack.ts';

export type WebClient = InstanceType<typeof webApi.WebClient>;

export interface SlackEmulatorSuite {
  emu: SlackEmulator;
  /** A client with the bot token and no retries. */
  client: WebClient;
  newClient(token: string | undefined, options?: webApi.WebClientOptions): WebClient;
}

export function useSlackEmulatorSuite(): SlackEmulatorSuite {
  const suite: SlackEmulatorSuite = {
    emu: undefined as unknown as SlackEmulator,
    client: undefined as unknown as WebClient,
    newClient: (token, options = {}) =>
      new webApi.WebClient(token, {
        slackApiUrl: suite.emu.apiUrl,
        // WebClient logs Slack's `[ERROR]` response messages; several tests provoke them on purpose.
        logger: captureLogger(),
        retryConfig: { retries: 0 },
        ...options,
      }),
  };

  beforeAll(async () => {
    suite.emu = await startSlackEmulator({
      users: [
        {
          id: 'U0BOB00001',
          name: 'bob',
          real_name: 'Bob Builder',
          display_name: 'bobby',
          tz: 'America/New_York',
          tz_label: 'Eastern Standard Time',
          tz_offset: -18000,
        },
      ],
      channels: [
        { id: 'C0PRIV0001', name: 'secret-stuff', is_private: true },
        { id: 'C0OUT00001', name: 'not-joined', is_member: false },
      ],
    });
    suite.client = suite.newClient(suite.emu.botToken);
  });

  afterEach(() => {
    suite.emu.reset();
  });

  afterAll(async () => {
    await suite.emu.close();
  });

  return suite;
}

/** The Slack error code a WebClient call failed with. */
export async function slackError(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    const data = (error as { data?: { error?: unknown } }).data;
    if (typeof data?.error === 'string') return data.error;
    throw error;
  }
  throw new Error('expected the Slack call to fail');
}
