import { availableParallelism } from 'node:os';
import { type Transferable, Worker } from 'node:worker_threads';
import { type FromThread, reviveError, type ToThread } from './protocol.ts';
import type { StreamTaskRef, TaskRef } from './task.ts';

/**
 * A small pool of worker threads for CPU-heavy work that must not run on the event loop that
 * acks Slack's requests: parsing a whole CSV, hashing a result, rendering a chart. Tasks are
 * modules the threads import themselves (see `task.ts`), so their dependencies stay off the
 * main thread too.
 *
 * - Sized to the machine: one thread fewer than the cores (`availableParallelism()`), at least
 *   one, so the event loop keeps a core to itself when it can; threads start on first use.
 * - Threads run at a lower priority (nice 10 by default, Linux), so where they share a core
 *   with the event loop the event loop wins it.
 * - Bounded: at most `maxJobs` jobs are on the threads at once and `maxQueued` wait for a
 *   place; beyond that `run` and `open` are refused at once with `CpuPoolFullError`, so callers
 *   can decide what to do without it rather than pile up memory.
 * - A stream holds its place until it ends, and at most `streamWindowBytes` of its chunks are in
 *   flight; `write` resolves when the thread has caught up (backpressure for the producer).
 * - A thread that dies fails its jobs, and the next job starts a new one; `close` fails
 *   everything still waiting or running.
 */
export interface CpuPoolOptions {
  /** Threads; default `defaultPoolSize()`. */
  size?: number;
  /** Jobs (tasks and open streams) on the threads at once; default 8 per thread. */
  maxJobs?: number;
  /** Jobs waiting for a place; default 256. */
  maxQueued?: number;
  /** The threads' nice value (Linux); default 10. `undefined` leaves them as they are. */
  niceness?: number | undefined;
  /** Bytes of one stream sent to its thread and not yet consumed; default 1 MiB. */
  streamWindowBytes?: number;
}

export interface CpuStream<O> {
  /**
   * Sends a copy of `chunk` (the caller keeps its own). Resolves at once while fewer than the
   * window's bytes are in flight, otherwise when the thread has caught up; never rejects (a
   * failure is reported by `end`).
   */
  write(chunk: Uint8Array): Promise<void>;
  /** No more chunks: the sink's output, or its (or the pool's) error. */
  end(): Promise<O>;
  /** Gives up on the stream: its place is freed and `end` rejects with `reason`. */
  abort(reason?: unknown): void;
}

export interface CpuPool {
  readonly size: number;
  run<I, O>(task: TaskRef<I, O>, input: I, transfer?: readonly Transferable[]): Promise<O>;
  /**
   * Opens a stream on a thread (waiting for a place if need be; writes buffer meanwhile). Throws
   * `CpuPoolFullError` or `CpuPoolClosedError` at once when it cannot be admitted.
   */
  open<I, O>(task: StreamTaskRef<I, O>, input: I): CpuStream<O>;
  /** Jobs on the threads and waiting, and threads started. */
  stats(): { running: number; queued: number; threads: number };
  close(): Promise<void>;
}

export class CpuPoolFullError extends Error {
  constructor(limit: number) {
    super(`the CPU pool is full: ${limit} jobs already wait for a thread`);
    this.name = 'CpuPoolFullError';
  }
}

export class CpuPoolClosedError extends Error {
  constructor() {
    super('the CPU pool is closed');
    this.name = 'CpuPoolClosedError';
  }
}

export function defaultPoolSize(cores = availableParallelism()): number {
  return Math.max(1, cores - 1);
}

interface Thread {
  worker: Worker;
  jobs: Set<Job>;
}

interface Job {
  id: number;
  thread?: Thread;
  /** Posts the job's first message once it has a thread. */
  start(thread: Thread): void;
  settle(error: Error | undefined, output?: unknown): void;
  /** Stream jobs: a chunk was consumed. */
  wrote?(bytes: number): void;
}

const THREAD_URL = new URL('./thread.ts', import.meta.url);

export function createCpuPool(options: CpuPoolOptions = {}): CpuPool {
  const size = Math.max(1, options.size ?? defaultPoolSize());
  const maxJobs = Math.max(1, options.maxJobs ?? size * 8);
  const maxQueued = Math.max(0, options.maxQueued ?? 256);
  const niceness = 'niceness' in options ? options.niceness : 10;
  const windowBytes = Math.max(1, options.streamWindowBytes ?? 1024 * 1024);
  const threads: Thread[] = [];
  const jobs = new Map<number, Job>();
  const queue: Job[] = [];
  let running = 0;
  let nextId = 1;
  let closed = false;

  // Messages posted in one turn travel together, as the threads' answers do.
  const outboxes = new Map<Thread, { messages: ToThread[]; transfer: Transferable[] }>();
  const flush = () => {
    for (const [thread, { messages, transfer }] of outboxes) {
      thread.worker.postMessage(messages, transfer);
    }
    outboxes.clear();
  };
  const send = (thread: Thread, message: ToThread, transfer: readonly Transferable[] = []) => {
    let box = outboxes.get(thread);
    if (!box) {
      if (outboxes.size === 0) queueMicrotask(flush);
      box = { messages: [], transfer: [] };
      outboxes.set(thread, box);
    }
    box.messages.push(message);
    box.transfer.push(...transfer);
  };

  const receive = (message: FromThread) => {
    const job = jobs.get(message.id);
    if (!job) return;
    if (message.type === 'wrote') job.wrote?.(message.bytes);
    else if (message.type === 'done') job.settle(undefined, message.output);
    else job.settle(reviveError(message.error));
  };

  function startThread(): Thread {
    const worker = new Worker(THREAD_URL, { workerData: { niceness } });
    const thread: Thread = { worker, jobs: new Set() };
    worker.on('message', (batch: FromThread[]) => {
      for (const message of batch) receive(message);
    });
    const died = (error: Error) => {
      const at = threads.indexOf(thread);
      if (at >= 0) threads.splice(at, 1);
      outboxes.delete(thread);
      for (const job of [...thread.jobs]) job.settle(error);
    };
    worker.on('error', died);
    worker.on('exit', (code) => died(new Error(`a CPU pool thread exited (${code})`)));
    worker.unref();
    threads.push(thread);
    return thread;
  }

  /** The thread with the fewest jobs; a new one while there is room and every one is busy. */
  function pick(): Thread {
    let best: Thread | undefined;
    for (const t of threads) if (!best || t.jobs.size < best.jobs.size) best = t;
    if (!best || (best.jobs.size > 0 && threads.length < size)) return startThread();
    return best;
  }

  function place(job: Job) {
    const thread = pick();
    running++;
    job.thread = thread;
    if (thread.jobs.size === 0) thread.worker.ref();
    thread.jobs.add(job);
    job.start(thread);
  }

  function admit(job: Job) {
    if (closed) throw new CpuPoolClosedError();
    if (running >= maxJobs && queue.length >= maxQueued) throw new CpuPoolFullError(maxQueued);
    jobs.set(job.id, job);
    if (running < maxJobs) place(job);
    else queue.push(job);
  }

  /** A job is over: free its place and give it to the next waiting job. False if it was already. */
  function finish(job: Job): boolean {
    if (!jobs.delete(job.id)) return false;
    const thread = job.thread;
    if (thread) {
      running--;
      thread.jobs.delete(job);
      if (thread.jobs.size === 0) thread.worker.unref();
    } else {
      const at = queue.indexOf(job);
      if (at >= 0) queue.splice(at, 1);
    }
    while (running < maxJobs && queue.length > 0 && !closed) {
      const next = queue.shift();
      if (next) place(next);
    }
    return true;
  }

  return {
    size,
    run<I, O>(task: TaskRef<I, O>, input: I, transfer: readonly Transferable[] = []) {
      return new Promise<O>((resolve, reject) => {
        const job: Job = {
          id: nextId++,
          start: (thread) =>
            send(thread, { type: 'run', id: job.id, url: task.url, input }, transfer),
          settle(error, output) {
            if (!finish(job)) return;
            if (error) reject(error);
            else resolve(output as O);
          },
        };
        admit(job);
      });
    },

    open<I, O>(task: StreamTaskRef<I, O>, input: I): CpuStream<O> {
      let inFlight = 0;
      let waiters: (() => void)[] = [];
      let settled: { error: Error | undefined; output?: unknown } | undefined;
      let ended = false;
      /** Messages written before the stream had a thread. */
      let early: ToThread[] | undefined = [];
      let result: { resolve: (o: O) => void; reject: (e: Error) => void } | undefined;
      const release = () => {
        const woken = waiters;
        waiters = [];
        for (const wake of woken) wake();
      };
      const deliver = () => {
        if (!settled || !result) return;
        if (settled.error) result.reject(settled.error);
        else result.resolve(settled.output as O);
      };
      const job: Job = {
        id: nextId++,
        start(thread) {
          send(thread, { type: 'open', id: job.id, url: task.url, input });
          for (const message of early ?? []) {
            send(
              thread,
              message,
              message.type === 'write' ? [message.chunk.buffer as ArrayBuffer] : [],
            );
          }
          early = undefined;
        },
        settle(error, output) {
          if (settled) return;
          settled = { error, output };
          finish(job);
          release();
          deliver();
        },
        wrote(bytes) {
          inFlight -= bytes;
          if (inFlight < windowBytes) release();
        },
      };
      const post = (message: ToThread) => {
        if (early) early.push(message);
        else if (job.thread)
          send(
            job.thread,
            message,
            message.type === 'write' ? [message.chunk.buffer as ArrayBuffer] : [],
          );
      };
      admit(job);
      return {
        write(chunk) {
          if (settled || ended || chunk.byteLength === 0) return Promise.resolve();
          // A copy the thread can own: only the view's bytes, moved rather than cloned again.
          const copy = new Uint8Array(chunk);
          inFlight += copy.byteLength;
          post({ type: 'write', id: job.id, chunk: copy });
          if (inFlight < windowBytes) return Promise.resolve();
          return new Promise((resolve) => waiters.push(resolve));
        },
        end() {
          return new Promise<O>((resolve, reject) => {
            result = { resolve, reject };
            if (!ended && !settled) {
              ended = true;
              post({ type: 'end', id: job.id });
            }
            deliver();
          });
        },
        abort(reason) {
          if (settled) return;
          if (job.thread) send(job.thread, { type: 'abort', id: job.id });
          job.settle(reason instanceof Error ? reason : new Error(String(reason ?? 'aborted')));
        },
      };
    },

    stats: () => ({ running, queued: queue.length, threads: threads.length }),

    async close() {
      if (closed) return;
      closed = true;
      const error = new CpuPoolClosedError();
      for (const job of [...queue, ...jobs.values()]) job.settle(error);
      await Promise.all(threads.map((t) => t.worker.terminate()));
      threads.length = 0;
    },
  };
}
