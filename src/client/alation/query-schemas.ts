// Wire shapes of Compose queries (alation-queries.txt). Objects are loose: fields a newer
// Alation adds pass through untouched; fields the bot relies on must be present.
import { z } from 'zod';

const datasourceRef = z.looseObject({
  id: z.number().int(),
  title: z.string().optional(),
  url: z.string().optional(),
  uri: z.string().nullish(),
});

const scheduleSchema = z.looseObject({
  enabled: z.boolean(),
  cron_expression: z.string(),
  ts_last_attempt: z.string().nullish(),
  overdue: z.boolean().optional(),
  ts_next_run: z.string().nullish(),
  celery_queue: z.string().nullish(),
  celery_task_name: z.string().nullish(),
  user: z.looseObject({ username: z.string(), is_active: z.boolean().optional() }).nullish(),
  db_connection: z.looseObject({}).nullish(),
  latest_session: z
    .looseObject({
      id: z.number().int(),
      client_session_id: z.string().optional(),
      query_id: z.number().int().nullish(),
      ts_start: z.string().optional(),
      sandbox_id: z.string().nullish(),
      batch_ids: z.array(z.number().int()).optional(),
    })
    .nullish(),
});

export const querySchema = z.looseObject({
  id: z.number().int(),
  datasource_id: z.number().int(),
  title: z.string(),
  content: z.string(),
  description: z.string().nullish(),
  autosave_content: z.string().nullish(),
  saved: z.boolean().optional(),
  published: z.boolean().optional(),
  url: z.string().optional(),
  datasource: datasourceRef.optional(),
  ts_last_saved: z.string().nullish(),
  has_unsaved_changes: z.boolean().optional(),
  /** Catalog page, e.g. `/query/6/`. */
  catalog_url: z.string().optional(),
  /** Compose editor, e.g. `/compose/query/6/`. */
  compose_url: z.string().optional(),
  schedules: z.array(scheduleSchema).optional(),
});

export type Query = z.infer<typeof querySchema>;
export type QuerySchedule = z.infer<typeof scheduleSchema>;

export const createdQuerySchema = querySchema.extend({
  domains: z
    .array(
      z.looseObject({ id: z.number().int(), title: z.string(), description: z.string().nullish() }),
    )
    .optional(),
  tags: z.array(z.looseObject({ id: z.number().int(), name: z.string() })).optional(),
});

export type CreatedQuery = z.infer<typeof createdQuerySchema>;

/** POST /integration/v1/query/ body; `author` only takes effect for admins. */
export interface CreateQueryBody {
  datasource_id: number;
  content: string;
  title?: string;
  description?: string;
  saved?: boolean;
  published?: boolean;
  tag_names?: string[];
  domain_ids?: number[];
  author?: { id: number } | { email: string } | { username: string };
}

export const latestResultSchema = z.looseObject({
  id: z.number().int(),
  truncated: z.boolean(),
  execution_event: z
    .looseObject({
      executed_at: z.string().nullish(),
      canceled: z.boolean().optional(),
      execution_error: z.string().nullish(),
      finished: z.boolean().optional(),
      finished_at: z.string().nullish(),
      seconds_taken: z.number().nullish(),
    })
    .optional(),
});

export type LatestResult = z.infer<typeof latestResultSchema>;
