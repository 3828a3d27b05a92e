import { readlinkSync } from 'node:fs';
import { access, readdir, readFile } from 'node:fs/promises';
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

/**
 * Lowers libuv's threadpool (file reads and writes, DNS lookups, zlib) to `niceness`: a result
 * spooled to disk is hundreds of writes, each waking a pool thread that, on a shared core,
 * took the core from the event loop in the middle of its acks. The pool's threads start on its
 * first use, so one trivial file operation comes first. Linux only; elsewhere it does nothing.
 * Resolves with how many threads were lowered.
 */
export async function lowerThreadpoolPriority(niceness: number): Promise<number> {
  try {
    await access('/proc/self/task');
    const tids = await readdir('/proc/self/task');
    let lowered = 0;
    for (const tid of tids) {
      const name = await readFile(`/proc/self/task/${tid}/comm`, 'utf8').catch(() => '');
      if (name.trim() !== 'libuv-worker') continue;
      setPriority(Number(tid), niceness);
      lowered++;
    }
    return lowered;
  } catch {
    return 0;
  }
}
