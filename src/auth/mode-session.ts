// A Mode client acting with one person's own Mode API token (Mode has no per-user OAuth: each
// person stores their token and secret with `/alation mode login`).

import { NotConnectedError } from '../client/errors.ts';
import type { Http } from '../client/http.ts';
import { createModeClient, type ModeClient } from '../client/mode.ts';
import type { Pacer } from '../client/pacer.ts';
import type { CredentialStore, Owner } from '../store/credentials.ts';

/** What is sealed in the store for a Mode connection. Never logged, never shown. */
export type ModeSecret = { token: string; secret: string };

export interface ModeSessionDeps {
  credentials: CredentialStore;
  modeHttp: Http;
  /** Keeps each Mode token under Mode's rate, for every client in this process. */
  modePacer: Pacer;
}

/** The user's own Mode client; NotConnectedError('mode') when they have no usable token. */
export async function modeClientFor(deps: ModeSessionDeps, owner: Owner): Promise<ModeClient> {
  const loaded = await deps.credentials.load<ModeSecret>(owner, 'mode');
  if (loaded.state === 'missing') throw new NotConnectedError('mode');
  if (loaded.state === 'reconnect') throw new NotConnectedError('mode', loaded.reason);
  return createModeClient({
    http: deps.modeHttp,
    pacer: deps.modePacer,
    credentials: { token: loaded.secret.token, secret: loaded.secret.secret },
  });
}
