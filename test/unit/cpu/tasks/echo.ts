// Test tasks for the CPU pool: each says where it ran, so a test can tell it was not the main thread.
import { readlinkSync } from 'node:fs';
import { getPriority } from 'node:os';
import { threadId } from 'node:worker_threads';
import { defineTask } from '../../../../src/cpu/task.ts';

export interface EchoInput {
  text: string;
  /** Busy-wait this long first (keeps the thread occupied). */
  spinMs?: number;
  /** Throw an error with a code instead. */
  fail?: boolean;
  /** End the thread instead of answering. */
  exit?: boolean;
}

export default defineTask((input: EchoInput) => {
  if (input.exit) process.exit(3);
  if (input.fail) throw Object.assign(new Error(`refused ${input.text}`), { code: 'E_TEST' });
  const until = performance.now() + (input.spinMs ?? 0);
  while (performance.now() < until) {}
  let priority: number | undefined;
  try {
    priority = getPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()));
  } catch {}
  return { text: input.text.toUpperCase(), threadId, priority };
});
