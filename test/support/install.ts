// "Add to Slack" as a browser does it against a test bot distributed by OAuth: /slack/install
// (a redirect to Slack with a one-time state, and the state cookie), Slack's "Allow" (the
// emulator hands out a code), then /slack/oauth_redirect with the code, the state and the cookie.
import type { InstallGrant } from '../emulators/slack/installs.ts';
import type { TestBot } from './bot.ts';

export interface InstallAttempt {
  status: number;
  html: string;
  /** The bot token the workspace (or org) got, read from the emulator. */
  token: string | undefined;
}

/** Starts an install: the state Slack would carry back, and the browser's cookie. */
export async function beginInstall(t: Pick<TestBot, 'origin'>) {
  const res = await fetch(`${t.origin}/slack/install`, { redirect: 'manual' });
  const location = res.headers.get('location') ?? '';
  const state = new URL(location).searchParams.get('state') ?? '';
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { status: res.status, location, state, cookie };
}

export async function finishInstall(
  t: Pick<TestBot, 'origin'>,
  query: Record<string, string>,
  cookie: string,
) {
  const res = await fetch(`${t.origin}/slack/oauth_redirect?${new URLSearchParams(query)}`, {
    redirect: 'manual',
    headers: cookie ? { cookie } : {},
  });
  return { status: res.status, html: await res.text() };
}

/** The whole flow for one workspace or org. */
export async function install(
  t: Pick<TestBot, 'origin' | 'slack'>,
  grant: InstallGrant,
): Promise<InstallAttempt> {
  const before = new Set(t.slack.installs.tokens.keys());
  const { state, cookie } = await beginInstall(t);
  const code = t.slack.authorizeInstall(grant);
  const page = await finishInstall(t, { code, state }, cookie);
  const token = [...t.slack.installs.tokens.keys()].find((k) => !before.has(k));
  return { ...page, token };
}
