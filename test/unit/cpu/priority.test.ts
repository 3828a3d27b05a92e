import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lowerThreadpoolPriority } from '../../../src/cpu/priority.ts';

/** Name and nice value of each of this process's threads (Linux). */
function threads(): { name: string; nice: number }[] {
  return readdirSync('/proc/self/task').flatMap((tid) => {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const name = readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim();
      return [{ name, nice: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]) }];
    } catch {
      return [];
    }
  });
}

describe.runIf(existsSync('/proc/self/task'))('lowerThreadpoolPriority', () => {
  it("lowers libuv's threadpool and nothing else", async () => {
    const others = threads().filter((t) => t.name !== 'libuv-worker');
    const lowered = await lowerThreadpoolPriority(7);
    expect(lowered).toBeGreaterThan(0);
    const pool = threads().filter((t) => t.name === 'libuv-worker');
    expect(pool).toHaveLength(lowered);
    expect(pool.every((t) => t.nice === 7)).toBe(true);
    const after = threads().filter((t) => t.name !== 'libuv-worker');
    expect(others.filter((t) => t.nice === 7).length).toBe(
      after.filter((t) => t.nice === 7).length,
    );
  });
});
