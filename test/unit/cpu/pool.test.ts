import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type CpuPool,
  CpuPoolClosedError,
  CpuPoolFullError,
  createCpuPool,
  defaultPoolSize,
} from '../../../src/cpu/pool.ts';
import { streamTaskRef, taskRef } from '../../../src/cpu/task.ts';

const ECHO = taskRef<typeof import('./tasks/echo.ts').default>(
  new URL('./tasks/echo.ts', import.meta.url),
);
const COUNT = streamTaskRef<typeof import('./tasks/count.ts').default>(
  new URL('./tasks/count.ts', import.meta.url),
);

let pools: CpuPool[] = [];
const pool = (options?: Parameters<typeof createCpuPool>[0]) => {
  const p = createCpuPool(options);
  pools.push(p);
  return p;
};
afterEach(async () => {
  await Promise.all(pools.map((p) => p.close()));
  pools = [];
});

describe('createCpuPool', () => {
  it('is sized one below the cores, at least one', () => {
    expect(defaultPoolSize(1)).toBe(1);
    expect(defaultPoolSize(2)).toBe(1);
    expect(defaultPoolSize(8)).toBe(7);
    expect(pool().size).toBe(defaultPoolSize());
  });

  it('runs a task on another thread, at a lower priority, and answers with its output', async () => {
    const p = pool({ size: 1 });
    const out = await p.run(ECHO, { text: 'hello' });
    expect(out.text).toBe('HELLO');
    expect(out.threadId).not.toBe(threadId);
    if (existsSync('/proc/thread-self')) expect(out.priority).toBe(10);
    expect(p.stats()).toEqual({ running: 0, queued: 0, threads: 1 });
  });

  it("rejects with the task's error and its fields, and goes on working", async () => {
    const p = pool({ size: 1 });
    const failed = await p.run(ECHO, { text: 'x', fail: true }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(Error);
    expect(failed).toMatchObject({ message: 'refused x', code: 'E_TEST' });
    expect((await p.run(ECHO, { text: 'again' })).text).toBe('AGAIN');
  });

  it('spreads jobs over its threads', async () => {
    const p = pool({ size: 2 });
    const outs = await Promise.all([
      p.run(ECHO, { text: 'a', spinMs: 50 }),
      p.run(ECHO, { text: 'b', spinMs: 50 }),
    ]);
    expect(new Set(outs.map((o) => o.threadId)).size).toBe(2);
  });

  it('queues beyond maxJobs and refuses beyond maxQueued, at once', async () => {
    const p = pool({ size: 1, maxJobs: 1, maxQueued: 1 });
    const first = p.run(ECHO, { text: 'first', spinMs: 100 });
    const second = p.run(ECHO, { text: 'second' });
    expect(p.stats()).toMatchObject({ running: 1, queued: 1 });
    await expect(p.run(ECHO, { text: 'third' })).rejects.toBeInstanceOf(CpuPoolFullError);
    expect(() => p.open(COUNT, {})).toThrow(CpuPoolFullError);
    expect((await first).text).toBe('FIRST');
    expect((await second).text).toBe('SECOND');
    expect(p.stats()).toMatchObject({ running: 0, queued: 0 });
  });

  it('fails the jobs of a thread that dies, and starts a new thread for the next', async () => {
    const p = pool({ size: 1 });
    const before = await p.run(ECHO, { text: 'before' });
    await expect(p.run(ECHO, { text: 'x', exit: true })).rejects.toThrow(/exited \(3\)/);
    const after = await p.run(ECHO, { text: 'after' });
    expect(after.text).toBe('AFTER');
    expect(after.threadId).not.toBe(before.threadId);
  });

  it('fails what waits and runs when closed, and refuses new work', async () => {
    const p = pool({ size: 1, maxJobs: 1 });
    const running = p.run(ECHO, { text: 'running', spinMs: 200 }).catch((e: unknown) => e);
    const waiting = p.run(ECHO, { text: 'waiting' }).catch((e: unknown) => e);
    await p.close();
    expect(await running).toBeInstanceOf(CpuPoolClosedError);
    expect(await waiting).toBeInstanceOf(CpuPoolClosedError);
    await expect(p.run(ECHO, { text: 'late' })).rejects.toBeInstanceOf(CpuPoolClosedError);
    expect(() => p.open(COUNT, {})).toThrow(CpuPoolClosedError);
  });
});

describe('a stream on the pool', () => {
  const chunk = (s: string) => new TextEncoder().encode(s);

  it('feeds every chunk to the sink in order and answers with its output', async () => {
    const p = pool({ size: 1 });
    const stream = p.open(COUNT, {});
    const rows = Array.from({ length: 100 }, (_, i) => `row ${i}\n`);
    for (const row of rows) await stream.write(chunk(row));
    expect(await stream.end()).toEqual({
      bytes: 690,
      lines: 100,
      chunks: 100,
      sha256: createHash('sha256').update(rows.join('')).digest('hex'),
    });
  });

  it('sends only the bytes of a view, and the caller keeps its own buffer', async () => {
    const p = pool({ size: 1 });
    const big = Buffer.from('xx\nhello\nyy');
    const view = big.subarray(3, 9);
    const stream = p.open(COUNT, {});
    await stream.write(view);
    expect(await stream.end()).toMatchObject({ bytes: 6, lines: 1, chunks: 1 });
    expect(view.toString()).toBe('hello\n');
  });

  it('holds the writer back once the window is full, until the thread catches up', async () => {
    const p = pool({ size: 1, streamWindowBytes: 10 });
    const stream = p.open(COUNT, { delayMs: 30 });
    let resolved = false;
    await stream.write(chunk('12345'));
    const full = stream.write(chunk('1234567890')).then(() => {
      resolved = true;
    });
    await new Promise((r) => setImmediate(r));
    expect(resolved).toBe(false);
    await full;
    expect(resolved).toBe(true);
    expect(await stream.end()).toMatchObject({ bytes: 15, chunks: 2 });
  });

  it('writes buffered while waiting for a place are delivered once it has one', async () => {
    const p = pool({ size: 1, maxJobs: 1 });
    const busy = p.run(ECHO, { text: 'busy', spinMs: 100 });
    const stream = p.open(COUNT, {});
    expect(p.stats()).toMatchObject({ running: 1, queued: 1 });
    await stream.write(chunk('a\n'));
    await stream.write(chunk('b\n'));
    await busy;
    expect(await stream.end()).toMatchObject({ bytes: 4, lines: 2, chunks: 2 });
  });

  it("reports the sink's failure from end(), never from write(), and frees its place", async () => {
    const p = pool({ size: 1, maxJobs: 1 });
    const stream = p.open(COUNT, { failAfter: 1 });
    await stream.write(chunk('a'));
    await stream.write(chunk('b'));
    await stream.write(chunk('c'));
    await expect(stream.end()).rejects.toThrow('chunk 2 is one too many');
    expect((await p.run(ECHO, { text: 'next' })).text).toBe('NEXT');
  });

  it('can be aborted: end() rejects with the reason and the place is freed', async () => {
    const p = pool({ size: 1, maxJobs: 1 });
    const stream = p.open(COUNT, {});
    await stream.write(chunk('a'));
    stream.abort(new Error('the upload failed'));
    await expect(stream.end()).rejects.toThrow('the upload failed');
    expect(p.stats()).toMatchObject({ running: 0 });
    expect((await p.run(ECHO, { text: 'next' })).text).toBe('NEXT');
  });
});
