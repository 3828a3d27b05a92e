// Slack surfaces beyond `/alation`: the App Home, link unfurls and the SQL message shortcut.
import type { App } from '@slack/bolt';
import { disconnectProvider } from '../auth/disconnect.ts';
import type { Features } from '../features.ts';
import { registerHome } from './home.ts';
import { registerOpenSql } from './open-sql.ts';
import { createUnfurlCache, registerUnfurls, UNFURL_TTL_MS } from './unfurl.ts';

export interface EventDeps {
  features(): Promise<Features>;
  alationBaseUrl: string;
  /** Tests shorten or freeze time; defaults to the wall clock. */
  now?: () => number;
}

/** Registers the listeners; state they keep (the unfurl cache) lives with this app instance. */
export function registerEvents(app: App, deps: EventDeps): void {
  const cache = createUnfurlCache(UNFURL_TTL_MS, deps.now ?? Date.now);
  registerHome(app, { features: deps.features, disconnect: disconnectProvider });
  registerUnfurls(app, { features: deps.features, alationBaseUrl: deps.alationBaseUrl, cache });
  registerOpenSql(app, { features: deps.features, alationBaseUrl: deps.alationBaseUrl });
}
