import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * Lowers the scheduling priority of the calling thread only (Linux: `setpriority` on its thread
 * id, read from /proc/thread-self), so that when threads of this process compete for a core the
 * event loop that acks Slack's requests wins it: at nice 10 a thread gets about a tenth of the
 * share of one at 0. Raising niceness needs no privilege. Elsewhere (no /proc) it does nothing.
 * Returns whether it took effect.
 */
export function lowerThreadPriority(niceness: number): boolean {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return false;
    setPriority(tid, niceness);
    return true;
  } catch {
    return false;
  }
}
