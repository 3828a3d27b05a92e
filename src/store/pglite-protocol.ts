/** Messages between the bot and the embedded database's thread (`pglite-worker.ts`). */

export type Op =
  | { kind: 'query'; sql: string; params: unknown[] | undefined }
  | { kind: 'exec'; sql: string }
  /** A pg-boss statement: rolled back in the worker if it fails. */
  | { kind: 'jobs'; sql: string; params: unknown[] | undefined }
  | { kind: 'listen'; channel: string; listenId: number }
  | { kind: 'unlisten'; listenId: number }
  | { kind: 'close' };

export interface ToWorker {
  id: number;
  op: Op;
}

/** An error's message and its own string/number fields (PostgreSQL's `code`, `detail`, …). */
export interface SerializedError {
  message: string;
  name?: string;
  fields: Record<string, string | number>;
}

export type FromWorker =
  | { type: 'ready' }
  | { type: 'failed'; error: SerializedError }
  | { type: 'result'; id: number; rows: unknown[] }
  | { type: 'error'; id: number; error: SerializedError }
  | { type: 'notify'; listenId: number; payload: string };

export function revive(error: SerializedError): Error {
  const revived = Object.assign(new Error(error.message), error.fields);
  if (error.name) revived.name = error.name;
  return revived;
}
