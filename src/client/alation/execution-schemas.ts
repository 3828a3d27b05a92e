// Wire shapes of query execution history: sessions, batches, events (with their cached result)
// and scheduled runs (alation-queries.txt).
import { z } from 'zod';

const id = z.number().int();

export const sessionSchema = z.looseObject({
  id,
  client_session_id: z.string(),
  query_id: id.nullable(),
  ts_start: z.string(),
  sandbox_id: z.string().nullish(),
  is_scheduled: z.boolean().optional(),
  batch_ids: z.array(id).optional(),
});

export type ExecutionSession = z.infer<typeof sessionSchema>;

export const batchSchema = z.looseObject({
  id,
  query_id: id.nullable(),
  session_id: id,
  events: z.array(z.looseObject({ id, index_in_batch: z.number().int() })),
});

export type ExecutionBatch = z.infer<typeof batchSchema>;

export const resultStorageStatuses = [
  'IN_PROGRESS',
  'STORED_PART',
  'STORED_ALL',
  'STORED_PREVIEW',
] as const;

const executionResultSchema = z.looseObject({
  id,
  title: z.string().nullish(),
  ts_created: z.string().nullish(),
  row_count: z.number().int().nullish(),
  byte_count: z.number().int().nullish(),
  ts_expiration: z.string().nullish(),
  truncated: z.boolean(),
  expired: z.boolean(),
  deleted: z.boolean(),
  url: z.string().optional(),
  /** One of `resultStorageStatuses`; kept open in case a release adds one. */
  storage_status: z.string().optional(),
  data_schema: z
    .array(
      z.looseObject({
        name: z.string(),
        type: z.string().optional(),
        norm_type: z.string().optional(),
        original_name: z.string().optional(),
      }),
    )
    .optional(),
  query: z
    .looseObject({ id, title: z.string().nullish(), description: z.string().nullish() })
    .optional(),
});

export type ExecutionResult = z.infer<typeof executionResultSchema>;

export const eventSchema = z.looseObject({
  id,
  result: executionResultSchema.nullable(),
  num_result_rows: z.number().int().nullish(),
  execution_error: z.string().nullish(),
  canceled: z.boolean(),
  ts_executed: z.string(),
  elapsed_seconds: z.number().nullish(),
  index_in_batch: z.number().int(),
  batch_id: id,
  session_id: id,
  query_id: id.nullable(),
  db_username: z.string().nullish(),
  statement_content: z.string().nullish(),
  datasource: z
    .looseObject({
      id,
      title: z.string().optional(),
      url: z.string().optional(),
      uri: z.string().nullish(),
    })
    .optional(),
});

export type ExecutionEvent = z.infer<typeof eventSchema>;

/** session/query fields stay null unless the admin enabled the feature flag for them. */
export const scheduledRunSchema = z.looseObject({
  session_id: id.nullish(),
  query_id: id.nullish(),
  query_title: z.string().nullish(),
  task_id: z.string(),
  ts_sent_to_broker: z.string(),
  ts_prerun: z.string().nullish(),
  ts_postrun: z.string().nullish(),
});

export type ScheduledRun = z.infer<typeof scheduledRunSchema>;
