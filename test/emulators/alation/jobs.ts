// Bulk-metadata job status. Tests script a job as a list of steps; each status GET answers
// with the current step and moves on, so polling loops see a realistic progression.
import type { IncomingCall, Reply } from '../faults.ts';
import { json } from '../faults.ts';
import { authed } from './auth.ts';
import type { AlationEnv, Job, JobStep } from './state.ts';
import { nextId } from './state.ts';
import type { Route } from './wire.ts';
import { notFound, pyDate, pyJsonDumps, toInt } from './wire.ts';

export interface JobSeed {
  id?: number;
  /** e.g. `MetadataExtraction#1_2017-10-05-…`; clients must URL-encode the `#`. */
  name?: string | null;
  states: JobStep[];
}

export const jobRunning = (msg?: string): JobStep => ({
  status: 'running',
  ...(msg ? { msg } : {}),
});
export const jobSucceeded = (result?: JobStep['result'], msg?: string): JobStep => ({
  status: 'successful',
  ...(result !== undefined ? { result } : {}),
  ...(msg ? { msg } : {}),
});
export const jobFailed = (result?: JobStep['result'], msg?: string): JobStep => ({
  status: 'failed',
  ...(result !== undefined ? { result } : {}),
  ...(msg ? { msg } : {}),
});

export function addJob(env: AlationEnv, seed: JobSeed): Job {
  if (seed.states.length === 0) throw new Error('emulator: a job needs at least one state');
  const job: Job = {
    id: nextId(env.state, 'job', seed.id),
    name: seed.name ?? null,
    steps: seed.states,
    cursor: 0,
  };
  env.state.jobs.set(job.id, job);
  return job;
}

export function findJob(env: AlationEnv, idOrName: number | string): Job | undefined {
  return [...env.state.jobs.values()].find((j) =>
    typeof idOrName === 'number' ? j.id === idOrName : j.name === idOrName,
  );
}

/** Replaces a job's script and starts it over. */
export function setJob(env: AlationEnv, idOrName: number | string, states: JobStep[]): Job {
  const job = findJob(env, idOrName);
  if (!job) throw new Error(`emulator: no job ${String(idOrName)}`);
  job.steps = states;
  job.cursor = 0;
  return job;
}

const EMPTY_RESULT = { updated_objects: 0, number_received: 0, error_objects: [], error: '' };

function renderStep(env: AlationEnv, step: JobStep) {
  const at = pyDate(env.clock.now());
  // Assumptions: the wording of running/failed messages and a null result while running.
  const msg =
    step.msg ??
    (step.status === 'running'
      ? 'Job is running'
      : `Job ${step.status === 'failed' ? 'failed' : 'finished'} in 1.0 seconds at ${at}`);
  const fallback =
    step.status === 'running'
      ? null
      : step.status === 'failed'
        ? { ...EMPTY_RESULT, error: 'Job failed' }
        : EMPTY_RESULT;
  const result = step.result === undefined ? fallback : step.result;
  return {
    status: step.status,
    msg,
    result: result === null || typeof result === 'string' ? result : pyJsonDumps(result),
  };
}

function jobStatus(env: AlationEnv, call: IncomingCall): Reply {
  const idParam = call.query.get('id');
  const name = call.query.get('name');
  let job: Job | undefined;
  if (idParam !== null) {
    const id = toInt(idParam);
    if (id === null) return json(400, { id: ['A valid integer is required.'] });
    job = findJob(env, id);
  } else if (name !== null) {
    job = findJob(env, name);
  } else {
    return json(400, { detail: 'Either id or name query parameter is required.' });
  }
  if (!job) return notFound();
  const step = job.steps[Math.min(job.cursor, job.steps.length - 1)] as JobStep;
  job.cursor = Math.min(job.cursor + 1, job.steps.length - 1);
  return json(200, renderStep(env, step));
}

export const jobRoutes: Route[] = [
  { method: 'GET', pattern: /^\/api\/v1\/bulk_metadata\/job\/$/, handle: authed('job', jobStatus) },
];
