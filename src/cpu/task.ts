/**
 * Work for the CPU pool's threads (`pool.ts`). A task module's default export is a `Task` (one
 * input, one output) or a `StreamTask` (an input, then chunks of bytes, then one output); the
 * thread imports the module itself, so what it imports (a CSV parser, a chart renderer) never
 * loads on the event loop's thread. The main thread names a task by a typed reference to its
 * module's URL, built from a type-only import:
 *
 * ```ts
 * const HASH = taskRef<typeof import('./hash-task.ts').default>(
 *   new URL('./hash-task.ts', import.meta.url),
 * );
 * const digest = await pool.run(HASH, { path }); // typed by the module's default export
 * ```
 *
 * Inputs, outputs and errors cross threads by structured clone: plain data, Uint8Arrays, Dates,
 * Maps; no functions or class instances.
 */

export interface Task<I, O> {
  readonly kind: 'task';
  run(input: I): O | Promise<O>;
}

/** What a stream task keeps while its bytes arrive; `end` gives the stream's output. */
export interface Sink<O> {
  write(chunk: Uint8Array): void | Promise<void>;
  end(): O | Promise<O>;
}

export interface StreamTask<I, O> {
  readonly kind: 'stream';
  open(init: I): Sink<O> | Promise<Sink<O>>;
}

export function defineTask<I, O>(run: (input: I) => O | Promise<O>): Task<I, O> {
  return { kind: 'task', run };
}

export function defineStreamTask<I, O>(
  open: (init: I) => Sink<O> | Promise<Sink<O>>,
): StreamTask<I, O> {
  return { kind: 'stream', open };
}

/** A task module, as the main thread names it: its URL, typed by what it exports. */
export interface TaskRef<I, O> {
  readonly kind: 'task';
  readonly url: string;
  /** Types only; never set. */
  readonly types?: (input: I) => O;
}

export interface StreamTaskRef<I, O> {
  readonly kind: 'stream';
  readonly url: string;
  readonly types?: (input: I) => O;
}

type InputOf<T> = T extends Task<infer I, unknown> | StreamTask<infer I, unknown> ? I : never;
type OutputOf<T> = T extends Task<never, infer O> | StreamTask<never, infer O> ? O : never;

export function taskRef<T extends Task<never, unknown>>(
  url: URL,
): TaskRef<InputOf<T>, OutputOf<T>> {
  return { kind: 'task', url: url.href };
}

export function streamTaskRef<T extends StreamTask<never, unknown>>(
  url: URL,
): StreamTaskRef<InputOf<T>, OutputOf<T>> {
  return { kind: 'stream', url: url.href };
}
