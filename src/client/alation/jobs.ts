// Bulk-metadata job status (alation-jobs.txt), by integer id or by name.
import { z } from 'zod';
import type { Http } from '../http.ts';
import { idSegment } from './ids.ts';
import type { WithToken } from './token-auth.ts';

/** `running`, `successful` or `failed`; open-ended in case a release adds a state. */
export type JobState = 'running' | 'successful' | 'failed' | (string & {});

/**
 * `result` arrives as JSON text inside the JSON (`"{\"updated_objects\": 2, …}"`) for most
 * jobs, and as a plain sentence for query-ingestion jobs; the object is parsed out when there
 * is one.
 */
export type JobResult = Record<string, unknown> | string | null;

function parseResult(raw: unknown): JobResult {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'object' && !Array.isArray(raw)) return raw as Record<string, unknown>;
  if (typeof raw !== 'string') return JSON.stringify(raw);
  try {
    const parsed: unknown = JSON.parse(raw);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
  } catch {
    // Not JSON: a sentence such as "Bulk Query Ingestion Succeeded: …".
  }
  return raw;
}

export const jobStatusSchema = z.looseObject({
  status: z.string() as z.ZodType<JobState>,
  msg: z.string().nullish(),
  result: z.unknown().transform(parseResult),
});

export type JobStatus = z.infer<typeof jobStatusSchema>;

export interface JobEndpoints {
  byId(jobId: number): Promise<JobStatus>;
  /** Names usually contain `#`; it is percent-encoded, never sent as a fragment. */
  byName(name: string): Promise<JobStatus>;
}

export function jobEndpoints(http: Http, withToken: WithToken): JobEndpoints {
  const fetchJob = (query: Record<string, string>) =>
    withToken(async (headers) => {
      const res = await http.json(
        { path: '/api/v1/bulk_metadata/job/', query, headers },
        jobStatusSchema,
      );
      return res.data;
    });
  return {
    byId: async (jobId) => fetchJob({ id: idSegment(jobId) }),
    byName: (name) => fetchJob({ name }),
  };
}
