/**
 * One thread of the CPU pool (`pool.ts` is the other end). It imports each task module the first
 * time it is asked for it, runs plain tasks as they come, and feeds each stream's chunks to its
 * sink in order. Work of different jobs interleaves only where a task awaits; a synchronous task
 * runs to the end, which is the point: it is not the event loop's thread.
 */
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { lowerThreadPriority } from './priority.ts';
import { type FromThread, serializeError, type ToThread } from './protocol.ts';
import type { Sink, StreamTask, Task } from './task.ts';

if (!parentPort) throw new Error('cpu/thread.ts runs as a worker thread');
const port: MessagePort = parentPort;
const { niceness } = workerData as { niceness: number | undefined };
if (niceness !== undefined) lowerThreadPriority(niceness);

type AnyTask = Task<unknown, unknown> | StreamTask<unknown, unknown>;
const modules = new Map<string, Promise<AnyTask>>();
function load(url: string): Promise<AnyTask> {
  let loaded = modules.get(url);
  if (!loaded) {
    loaded = import(url).then((m: { default?: AnyTask }) => {
      const task = m.default;
      if (task?.kind !== 'task' && task?.kind !== 'stream') {
        throw new Error(
          `${url} does not export a task (defineTask or defineStreamTask) by default`,
        );
      }
      return task;
    });
    modules.set(url, loaded);
  }
  return loaded;
}

// Answers finished in one turn go back in one message: each postMessage wakes the other thread.
let outbox: FromThread[] = [];
const flush = () => {
  const batch = outbox;
  outbox = [];
  port.postMessage(batch);
};
const post = (message: FromThread) => {
  if (outbox.push(message) === 1) setImmediate(flush);
};
const fail = (id: number, error: unknown) =>
  post({ type: 'failed', id, error: serializeError(error) });

interface Stream {
  /** Each chunk and the end run after the one before. */
  tail: Promise<Sink<unknown> | undefined>;
  failed: boolean;
}
const streams = new Map<number, Stream>();

function onMessage(message: ToThread): void {
  switch (message.type) {
    case 'run': {
      const { id } = message;
      load(message.url)
        .then((task) => {
          if (task.kind !== 'task') throw new Error(`${message.url} is a stream task`);
          return task.run(message.input);
        })
        .then(
          (output) => post({ type: 'done', id, output }),
          (error: unknown) => fail(id, error),
        );
      return;
    }
    case 'open': {
      const stream: Stream = { tail: Promise.resolve(undefined), failed: false };
      stream.tail = load(message.url).then((task) => {
        if (task.kind !== 'stream') throw new Error(`${message.url} is not a stream task`);
        return task.open(message.input);
      });
      streams.set(message.id, stream);
      then(message.id, stream, (sink) => sink);
      return;
    }
    case 'write': {
      const stream = streams.get(message.id);
      if (!stream) return;
      const { chunk } = message;
      then(message.id, stream, async (sink) => {
        await sink.write(chunk);
        post({ type: 'wrote', id: message.id, bytes: chunk.byteLength });
        return sink;
      });
      return;
    }
    case 'end': {
      const stream = streams.get(message.id);
      if (!stream) return;
      const { id } = message;
      then(id, stream, async (sink) => {
        streams.delete(id);
        post({ type: 'done', id, output: await sink.end() });
        return undefined;
      });
      return;
    }
    case 'abort':
      streams.delete(message.id);
      return;
  }
}

/** Runs `step` after the stream's previous step; the first failure is reported, once. */
function then(
  id: number,
  stream: Stream,
  step: (sink: Sink<unknown>) => Sink<unknown> | undefined | Promise<Sink<unknown> | undefined>,
): void {
  stream.tail = stream.tail
    .then((sink) => (sink && !stream.failed ? step(sink) : undefined))
    .catch((error: unknown) => {
      if (!stream.failed) {
        stream.failed = true;
        streams.delete(id);
        fail(id, error);
      }
      return undefined;
    });
}

port.on('message', (batch: ToThread[]) => {
  for (const message of batch) onMessage(message);
});
