/** Messages between the CPU pool (`pool.ts`) and its threads (`thread.ts`). */

export type ToThread =
  | { type: 'run'; id: number; url: string; input: unknown }
  | { type: 'open'; id: number; url: string; input: unknown }
  | { type: 'write'; id: number; chunk: Uint8Array }
  | { type: 'end'; id: number }
  | { type: 'abort'; id: number };

export type FromThread =
  | { type: 'done'; id: number; output: unknown }
  | { type: 'failed'; id: number; error: SerializedError }
  /** A stream's chunk was consumed: its bytes no longer count against the stream's window. */
  | { type: 'wrote'; id: number; bytes: number };

/** An error's message and its own string/number fields (a `code`, say). */
export interface SerializedError {
  message: string;
  name?: string;
  stack?: string;
  fields: Record<string, string | number>;
}

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { message: String(error), fields: {} };
  const fields: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(error)) {
    if (typeof value === 'string' || typeof value === 'number') fields[key] = value;
  }
  return {
    message: error.message,
    name: error.name,
    ...(error.stack ? { stack: error.stack } : {}),
    fields,
  };
}

export function reviveError(error: SerializedError): Error {
  const revived = Object.assign(new Error(error.message), error.fields);
  if (error.name) revived.name = error.name;
  if (error.stack) revived.stack = error.stack;
  return revived;
}
