// Waiting for the app: the emulator notifies on every call and post, and polls for state
// that changes outside it.
import type { SlackEnv } from './state.ts';
import type { SlackCall, WaitForOptions, WaitOptions } from './types.ts';

/** Resolve with the probe's first truthy result, re-checked on every emulator event and every 20 ms. */
export function waitUntil<T>(
  env: SlackEnv,
  probe: () => T | undefined | null | false,
  waitOpts: WaitOptions = {},
): Promise<T> {
  const { listeners } = env;
  const timeoutMs = waitOpts.timeoutMs ?? 5000;
  return new Promise<T>((resolve, reject) => {
    const check = (): boolean => {
      let value: T | undefined | null | false;
      try {
        value = probe();
      } catch (error) {
        cleanup();
        reject(error);
        return true;
      }
      if (value === undefined || value === null || value === false) return false;
      cleanup();
      resolve(value);
      return true;
    };
    const timer = setTimeout(() => {
      cleanup();
      const seen = env.state.calls.map(
        (c) => `${c.method}${c.response.ok === false ? `(${String(c.response.error)})` : ''}`,
      );
      reject(
        new Error(
          `waitUntil timed out after ${timeoutMs} ms; Slack calls so far: [${seen.join(', ')}]`,
        ),
      );
    }, timeoutMs);
    // State can also change outside the emulator (the probe may read app state), so poll too.
    const poll = setInterval(check, 20);
    const listener = (): void => {
      check();
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      clearInterval(poll);
      listeners.delete(listener);
    };
    listeners.add(listener);
    check();
  });
}

/** Resolve with the matching calls once at least `count` exist. */
export function waitFor(
  env: SlackEnv,
  target: string | ((call: SlackCall) => boolean),
  waitOpts: WaitForOptions = {},
): Promise<SlackCall[]> {
  const count = waitOpts.count ?? 1;
  const matches = (c: SlackCall): boolean =>
    typeof target === 'string' ? c.method === target && (waitOpts.where?.(c) ?? true) : target(c);
  const label = typeof target === 'string' ? target : 'predicate';
  return waitUntil(
    env,
    () => {
      const found = env.state.calls.filter(matches);
      return found.length >= count ? found : undefined;
    },
    waitOpts,
  ).catch((error: unknown) => {
    throw new Error(
      `waitFor(${label}, count ${count}): ${error instanceof Error ? error.message : String(error)}`,
    );
  });
}
