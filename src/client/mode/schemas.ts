// Mode's HAL+JSON shapes (mode-query-runs.txt). The docs call most fields strings while the
// API sends numbers, booleans and objects (id, limit, parameters), so those are left open.
import { z } from 'zod';

const linkSchema = z.looseObject({ href: z.string(), templated: z.boolean().optional() });

export const linksSchema = z.record(z.string(), linkSchema);

export type HalLinks = z.infer<typeof linksSchema>;

/** Report-run states; query runs use the same words (plus `running`). */
export type ModeRunState =
  | 'pending'
  | 'enqueued'
  | 'running_notebook'
  | 'running'
  | 'cancelled'
  | 'failed'
  | 'succeeded'
  | 'completed'
  | (string & {});

export const queryRunSchema = z.looseObject({
  id: z.union([z.number(), z.string()]),
  token: z.string(),
  state: z.string() as z.ZodType<ModeRunState>,
  created_at: z.string().nullish(),
  completed_at: z.string().nullish(),
  query_token: z.string().nullish(),
  query_name: z.string().nullish(),
  raw_source: z.string().nullish(),
  rendered_source: z.string().nullish(),
  data_source_id: z.union([z.number(), z.string()]).nullish(),
  limit: z.unknown().optional(),
  parameters: z.unknown().optional(),
  error_message: z.string().nullish(),
  _links: linksSchema,
});

export type ModeQueryRun = z.infer<typeof queryRunSchema>;

export const queryRunListSchema = z.looseObject({
  _links: linksSchema.optional(),
  _embedded: z.looseObject({ query_runs: z.array(queryRunSchema) }),
});

export type ModeQueryRunList = z.infer<typeof queryRunListSchema>;

/**
 * A report run as Mode's "List report runs" shows it (mode.com developer reference; beyond the
 * contract pages, so only what the digest reads is required).
 */
export const reportRunSchema = z.looseObject({
  token: z.string(),
  state: z.string() as z.ZodType<ModeRunState>,
  created_at: z.string().nullish(),
  updated_at: z.string().nullish(),
  completed_at: z.string().nullish(),
  _links: linksSchema.optional(),
});

export type ModeReportRun = z.infer<typeof reportRunSchema>;

export const reportRunListSchema = z.looseObject({
  _links: linksSchema.optional(),
  _embedded: z.looseObject({ report_runs: z.array(reportRunSchema) }),
});

export type ModeReportRunList = z.infer<typeof reportRunListSchema>;

// "Get an account" (`GET /api/{account}`): only `username` is relied on, to check credentials;
// the rest is beyond the contract docs, so it is optional and left open.
export const accountSchema = z.looseObject({
  username: z.string(),
  name: z.string().optional(),
  id: z.union([z.number(), z.string()]).optional(),
  token: z.string().optional(),
  _links: linksSchema.optional(),
});

export type ModeAccount = z.infer<typeof accountSchema>;

/** README: `succeeded`/`completed` are done. */
export function isRunDone(state: ModeRunState): boolean {
  return state === 'succeeded' || state === 'completed';
}

/** README: `failed`/`cancelled` are terminal without a result; so are the done states. */
export function isRunTerminal(state: ModeRunState): boolean {
  return isRunDone(state) || state === 'failed' || state === 'cancelled';
}
