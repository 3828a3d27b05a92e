/**
 * Polls an async condition every 50 ms (the emulators' waitUntil takes synchronous probes);
 * `what` names it in the timeout error, lazily so it can include output gathered meanwhile.
 */
export async function until(
  probe: () => Promise<boolean>,
  timeoutMs = 10_000,
  what: string | (() => string) = 'a condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
