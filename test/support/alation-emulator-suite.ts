// What the Alation emulator's own suites (test/emulators/alation/*.test.ts) share: three users
// with access tokens and a data source Bob owns, seeded before every test, and raw HTTP calls
// with Alation's TOKEN header.
import { expect } from 'vitest';
import type { AlationEmulator } from '../emulators/alation.ts';
import { useAlationEmulator } from './alation-fixture.ts';

export interface CallOptions {
  token?: string;
  method?: string;
  json?: unknown;
  form?: Record<string, string>;
  headers?: Record<string, string>;
}

function callOn(emu: AlationEmulator, path: string, opts: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.TOKEN = opts.token;
  let body: string | undefined;
  if (opts.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.json);
  }
  if (opts.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(opts.form).toString();
  }
  const method = opts.method ?? (body === undefined ? 'GET' : 'POST');
  return fetch(`${emu.url}${path}`, { method, headers, body, redirect: 'manual' });
}

export function useAlationEmulatorSuite() {
  return useAlationEmulator((emu) => {
    const admin = emu.addUser({ name: 'Ada Admin', isAdmin: true });
    const alice = emu.addUser({ name: 'Alice', email: 'alice@example.com' });
    const bob = emu.addUser({ name: 'Bob', username: 'bob' });
    return {
      admin,
      alice,
      bob,
      adminToken: emu.mintAccessToken(admin.id),
      aliceToken: emu.mintAccessToken(alice.id),
      bobToken: emu.mintAccessToken(bob.id),
      ds: emu.addDataSource({ title: 'Warehouse', uri: 'snowflake://acme', ownerIds: [bob.id] }),
      call: (path: string, opts?: CallOptions) => callOn(emu, path, opts),
    };
  });
}

export async function expectJson(res: Response, status: number, body?: unknown): Promise<unknown> {
  expect(res.status).toBe(status);
  const parsed: unknown = await res.json();
  if (body !== undefined) expect(parsed).toEqual(body);
  return parsed;
}

export const MISSING_TOKEN_403000 = {
  detail: 'Authentication credentials were not provided.',
  code: '403000',
};
export const NO_PERMISSION = { detail: 'You do not have permission to perform this action.' };
