// Fixtures for the hostile-text view test: realistic shapes (as the view tests and Alation's and
// Mode's answers have them) with the hostile string `h` in every free-text field.
import type { ExecutionEvent, Query, SyncedTable, TrustFlag } from '../../../src/client/alation.ts';
import {
  BadRequestError,
  ForbiddenError,
  NotFoundError,
  ServerError,
} from '../../../src/client/errors.ts';
import { type ModeQueryRun, queryRunSchema } from '../../../src/client/mode.ts';
import type { Digest } from '../../../src/store/digests.ts';
import type { DigestForm, SchedulePreset } from '../../../src/views/digest-modal.ts';
import type { SyncFailure, SyncRequest } from '../../../src/views/sync.ts';
import type { ConnectionSummary } from '../../../src/views/whoami.ts';

/** A builder run with one hostile string; whatever it returns is searched for markup. */
export type Builder = (h: string) => unknown;

export const BASE = 'https://alation.example.com';
export const MODE_BASE = 'https://app.mode.com';
export const NOW = new Date('2026-11-22T12:00:00Z');
export const EARLIER = new Date('2026-11-22T09:00:00Z');

export function trustFlag(h: string, type: TrustFlag['flag_type'] = 'DEPRECATION'): TrustFlag {
  return {
    id: 9,
    flag_type: type,
    flag_reason: h,
    ts_created: h,
    subject: { id: 12, otype: h, url: h },
    user: { id: 7, url: h, display_name: h },
  };
}

export const subject = (h: string) => ({ otype: h, id: 12, name: h });
export const flagRefOf = (h: string) => ({
  flagId: 9,
  flagType: 'WARNING' as const,
  subject: subject(h),
});

export function alationQuery(h: string): Query {
  return {
    id: 6,
    datasource_id: 1,
    title: h,
    content: h,
    description: h,
    saved: false,
    published: true,
    datasource: { id: 1, title: h },
    ts_last_saved: h,
    catalog_url: '/query/6/',
    compose_url: '/compose/query/6/',
    schedules: [
      {
        enabled: true,
        cron_expression: h,
        ts_next_run: '2026-11-23T09:00:00Z',
        ts_last_attempt: h,
        overdue: true,
        user: { username: h, is_active: false },
      },
      { enabled: false, cron_expression: `0 9 * * ${h}`, user: { username: h } },
    ],
  };
}

export function event(h: string, overrides: Partial<ExecutionEvent> = {}): ExecutionEvent {
  return {
    id: 1,
    result: null,
    num_result_rows: 12,
    execution_error: h,
    canceled: false,
    ts_executed: h,
    elapsed_seconds: 3.2,
    index_in_batch: 0,
    batch_id: 1,
    session_id: 1,
    query_id: 6,
    db_username: h,
    statement_content: h,
    datasource: { id: 1, title: h, url: h },
    ...overrides,
  };
}

export function modeQueryRun(h: string, fields: Record<string, unknown> = {}): ModeQueryRun {
  return queryRunSchema.parse({
    id: 1,
    token: h,
    state: h,
    query_name: h,
    created_at: '2026-11-22T10:00:00.000Z',
    completed_at: '2026-11-22T10:01:05.000Z',
    raw_source: h,
    rendered_source: `${h} -- rendered`,
    limit: h,
    parameters: { [h]: h, other: h },
    data_source_id: h,
    data_source_token: h,
    error_type: h,
    error_message: h,
    _links: {
      query_web: { href: '/acme/reports/r1/queries/q1' },
      result_web: { href: '/acme/reports/r1/runs/n1/query_runs/q1/results' },
      report_run_web: { href: '/acme/reports/r1/runs/n1' },
    },
    ...fields,
  });
}

export const modeRef = (h: string) => ({ account: h, report: h, run: h });

export function syncedTable(h: string): SyncedTable {
  return {
    id: 17,
    url: '/table/17/',
    name: h,
    schema_name: h,
    title: h,
    description: `<p>${h}</p><a href="/table/1/">${h}</a>${h}`,
    ds_id: 107,
    is_view: false,
    db_comment: h,
  };
}

export const syncRequest = (h: string): SyncRequest => ({
  datasourceId: 8,
  schema: h,
  table: h,
  tableType: 'VIEW',
});

export function syncFailures(h: string): SyncFailure[] {
  return [
    { kind: 'missing_value', fields: [h, 'schema'], said: h },
    { kind: 'bad_table_type', said: h },
    { kind: 'schema_excluded', said: h },
    { kind: 'not_authenticated' },
    { kind: 'not_admin', said: h },
    { kind: 'service_account', said: h },
    { kind: 'source_not_found', which: 'datasource', said: h },
    { kind: 'source_not_found', which: 'schema', said: h },
    { kind: 'source_not_found', which: 'either', said: h },
    { kind: 'table_not_found', said: h },
    { kind: 'connection_error', said: h },
  ];
}

export function savedDigest(h: string, params: Digest['params']): Digest {
  return {
    id: 'd1',
    owner: { tenantId: 'T1', userId: 'U1' },
    channelId: 'C1',
    name: h,
    params,
    cron: h,
    tz: h,
    status: 'paused',
    pausedReason: h,
    consecutiveFailures: 3,
    sinceAt: EARLIER,
    lastRunAt: EARLIER,
    lastOutcome: 'failed',
    lastDetail: h,
    lastFingerprint: null,
    createdAt: EARLIER,
  };
}

export function digestParams(h: string): Digest['params'][] {
  return [
    { kind: 'query_result', queryId: 15, attachCsv: true, onlyIfChanged: true },
    { kind: 'failed_runs', datasourceId: 3, queryId: 4 },
    { kind: 'flag_changes', onlyWarnings: true, subject: { otype: h, id: 3 } },
    { kind: 'mode_runs', workspace: h, report: h, run: h, only: 'failed' },
  ];
}

export function digestForm(h: string, kind: DigestForm['kind'], schedule: string) {
  return {
    name: h,
    channelId: 'C1',
    kind,
    schedule: schedule as SchedulePreset,
    time: h,
    day: h,
    cron: h,
    zone: h,
    queryId: h,
    attachCsv: true,
    onlyIfChanged: true,
    includeChart: true,
    personal: true,
    datasourceId: h,
    onlyWarnings: true,
    subject: h,
    modeReport: h,
    modeOnly: 'failed' as const,
  };
}

export function connections(h: string): ConnectionSummary[][] {
  const profile = {
    method: 'refresh_token',
    alationUserId: h,
    tokenName: h,
    refreshTokenExpiresAt: h,
    workspace: h,
  };
  const active = (provider: 'alation' | 'mode') => ({
    provider,
    status: 'active' as const,
    profile,
  });
  const reconnect = (provider: 'alation' | 'mode') => ({
    provider,
    status: 'reconnect' as const,
    profile,
    reason: h,
  });
  const missing = (provider: 'alation' | 'mode') => ({
    provider,
    status: 'missing' as const,
    profile: {},
  });
  return [
    [active('alation'), active('mode')],
    [reconnect('alation'), reconnect('mode')],
    [missing('alation'), missing('mode')],
    [{ ...active('alation'), profile: { ...profile, method: 'oauth' } }, missing('mode')],
  ];
}

export function upstreamErrors(h: string): unknown[] {
  const call = { service: 'Alation', method: 'GET', path: `/api/${h}` };
  return [
    new ServerError({ ...call, status: 500, detail: h }),
    new ForbiddenError({ ...call, detail: h }),
    new NotFoundError({ ...call, detail: h }),
    new BadRequestError({ ...call, detail: null, fieldErrors: { [h]: [h] } }),
    new Error(h),
  ];
}

export const preview = (h: string, previewOk = true) => ({
  header: [h, 'b'],
  rows: [
    [h, h],
    ['1', h],
  ],
  previewOk,
  bytes: 2048,
  filename: h,
});

export const resultContext = (h: string) => ({
  queryId: 6,
  title: h,
  queryUrl: `${BASE}/query/6/`,
  composeUrl: `${BASE}/compose/query/6/`,
  now: NOW,
  zone: h,
});
