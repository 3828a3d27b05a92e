// One Alation emulator per test file, reset and seeded before every test: the setup the
// emulator's own suites and the client suites share. The returned object is filled in by the
// hooks, so read its fields inside tests and hooks, never at a file's top level.
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { createHttp, type Http } from '../../src/client/http.ts';
import {
  type AlationEmulator,
  type AlationEmulatorOptions,
  startAlationEmulator,
} from '../emulators/alation.ts';
import { fastRetry } from './client.ts';

export type AlationFixture<S> = { emu: AlationEmulator } & S;

/** Starts the emulator before the file, closes it after, and runs `seed` after each reset. */
export function useAlationEmulator<S extends object>(
  seed: (emu: AlationEmulator) => S,
  options: AlationEmulatorOptions = {},
): AlationFixture<S> {
  const fixture = {} as AlationFixture<S>;
  beforeAll(async () => {
    fixture.emu = await startAlationEmulator(options);
  });
  afterAll(async () => {
    await fixture.emu.close();
  });
  beforeEach(() => {
    fixture.emu.reset();
    Object.assign(fixture, seed(fixture.emu));
  });
  return fixture;
}

export type AlationClientFixture<S> = AlationFixture<{ http: Http } & S>;

/**
 * The client suites' setup: the emulator as above plus an Http to it that retries without
 * waiting (fastRetry), opened before each test and closed after it.
 */
export function useAlationClientFixture<S extends object>(
  seed: (emu: AlationEmulator, http: Http) => S,
): AlationClientFixture<S> {
  const fixture = useAlationEmulator((emu) => {
    const http = createHttp({ baseUrl: emu.url, service: 'Alation', retry: fastRetry().retry });
    return { http, ...seed(emu, http) };
  }) as AlationClientFixture<S>;
  afterEach(async () => {
    await fixture.http.close();
  });
  return fixture;
}
