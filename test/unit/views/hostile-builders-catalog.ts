// The hostile-text table for the catalog views: trust flags, queries, results, runs, SQL, table
// sync, unfurls, jobs, Alation's descriptions and errors. Parameters documented as mrkdwn the
// calling code wrote get the hostile text as callers must pass it (through echo() or
// escapeMrkdwn()); every other free-text field gets it raw.

import { echo, escapeMrkdwn } from '../../../src/views/blocks.ts';
import * as flag from '../../../src/views/flag.ts';
import * as flagModal from '../../../src/views/flag-modal.ts';
import * as html from '../../../src/views/html.ts';
import * as job from '../../../src/views/job.ts';
import * as query from '../../../src/views/query.ts';
import * as queryModal from '../../../src/views/query-modal.ts';
import * as result from '../../../src/views/result.ts';
import * as runs from '../../../src/views/runs.ts';
import * as sql from '../../../src/views/sql.ts';
import * as sync from '../../../src/views/sync.ts';
import * as unfurl from '../../../src/views/unfurl.ts';
import * as upstreamError from '../../../src/views/upstream-error.ts';
import {
  alationQuery,
  BASE,
  type Builder,
  EARLIER,
  event,
  flagRefOf,
  NOW,
  preview,
  resultContext,
  subject,
  syncedTable,
  syncFailures,
  syncRequest,
  trustFlag,
  upstreamErrors,
} from './hostile-fixtures.ts';

export const CATALOG_BUILDERS: Record<string, Record<string, Builder>> = {
  'flag.ts': {
    subjectWords: (h) => ({ type: 'mrkdwn', text: flag.subjectWords({ otype: h, id: 1 }) }),
    subjectLink: (h) =>
      [subject(h), { otype: h, id: 3 }].map((s) => ({
        type: 'mrkdwn',
        text: flag.subjectLink(BASE, s),
      })),
    removeButton: (h) => flag.removeButton(trustFlag(h)),
    flagButtons: (h) => flag.flagButtons(trustFlag(h, 'WARNING')),
    flagLine: (h) => ({
      type: 'mrkdwn',
      text: flag.flagLine(trustFlag(h), {
        showSubject: true,
        alationBaseUrl: BASE,
        now: NOW,
        zone: h,
      }),
    }),
    refWords: (h) => ({ type: 'mrkdwn', text: flag.refWords(flagRefOf(h)) }),
    buildFlagAddedMessage: (h) =>
      (['ENDORSEMENT', 'WARNING', 'DEPRECATION'] as const).map((type) =>
        flag.buildFlagAddedMessage({
          flag: trustFlag(h, type),
          subject: subject(h),
          slackUserId: 'U1',
          alationBaseUrl: BASE,
        }),
      ),
    buildFlagList: (h) =>
      [
        { flags: [trustFlag(h), trustFlag(h, 'ENDORSEMENT')], subject: subject(h), firstIndex: 1 },
        { flags: [trustFlag(h)], subject: undefined, firstIndex: 11 },
        { flags: [], subject: subject(h), firstIndex: 1 },
        { flags: [], subject: undefined, firstIndex: 1 },
        { flags: [], subject: undefined, firstIndex: 11 },
      ].map((page, i) =>
        flag.buildFlagList({
          ...page,
          alationBaseUrl: BASE,
          now: NOW,
          zone: h,
          more: i === 0 ? h : undefined,
          truncated: true,
        }),
      ),
    buildRemoveConfirmMessage: (h) =>
      flag.buildRemoveConfirmMessage({
        flag: trustFlag(h),
        alationBaseUrl: BASE,
        now: NOW,
        zone: h,
      }),
    buildFlagRemovedMessage: (h) => flag.buildFlagRemovedMessage(flagRefOf(h), 'U1'),
    buildRemoveCancelledMessage: () => flag.buildRemoveCancelledMessage(9),
    buildFlagGoneMessage: (h) =>
      (['remove', 'edit', 'show'] as const).map((doing) =>
        flag.buildFlagGoneMessage(flagRefOf(h), doing),
      ),
    buildFlagForbiddenMessage: (h) =>
      (['remove', 'edit'] as const).map((doing) =>
        flag.buildFlagForbiddenMessage(flagRefOf(h), doing),
      ),
    buildEndorsementRefusal: () => flag.buildEndorsementRefusal(9),
    buildFlagUpdatedMessage: (h) => flag.buildFlagUpdatedMessage(trustFlag(h, 'WARNING'), BASE),
  },
  'flag-modal.ts': {
    buildAddFlagModal: (h) =>
      ([undefined, 'ENDORSEMENT', 'WARNING', 'DEPRECATION'] as const).map((flagType) =>
        flagModal.buildAddFlagModal({
          privateMetadata: h,
          values: { otype: h, subjectId: h, flagType, reason: h },
          subject: subject(h),
          problem: h,
        }),
      ),
    buildEditFlagModal: (h) =>
      flagModal.buildEditFlagModal({
        privateMetadata: h,
        flag: trustFlag(h, 'WARNING'),
        reason: h,
        problem: h,
      }),
    buildFlagNoticeModal: (h) =>
      flagModal.buildFlagNoticeModal(h, `${escapeMrkdwn(h)} Nothing was changed.`),
  },
  'flag-ref.ts': {},
  'html.ts': {
    htmlToMrkdwn: (h) =>
      [
        h,
        `<p>${h}</p><b>${h}</b><a href="/table/1/">${h}</a><a href="${h}">${h}</a>`,
        `<ul><li>${h}</li></ul><pre>${h}</pre><code>${h}</code>`,
        escapeMrkdwn(h),
      ].map((source) => ({ type: 'mrkdwn', text: html.htmlToMrkdwn(source, { baseUrl: BASE }) })),
  },
  'job.ts': {
    jobLabel: (h) => ({ type: 'mrkdwn', text: job.jobLabel({ name: h }) }),
    buildJobCard: (h) =>
      (['watching', 'expired', 'stopped', 'lost_access'] as const).flatMap((status) =>
        [h, { updated_objects: 3, error_objects: [h, { [h]: h }], error: h }, null].map(
          (jobResult) =>
            job.buildJobCard({
              ref: { name: h },
              jobStatus: status === 'watching' ? 'running' : h,
              msg: h,
              result: jobResult,
              watch: {
                id: 'w1',
                status,
                startedAt: EARLIER,
                deadline: NOW,
                ownerUserId: 'U1',
              },
              now: NOW,
            }),
        ),
      ),
  },
  'query-modal.ts': {
    buildNewQueryModal: (h) =>
      queryModal.buildNewQueryModal({
        privateMetadata: h,
        values: {
          datasourceId: h,
          title: h,
          sql: h,
          description: h,
          tags: h,
          domains: h,
          saved: false,
          published: true,
        },
        problem: h,
      }),
    buildCreatingModal: () => queryModal.buildCreatingModal(),
    buildCreatedModal: (h) => queryModal.buildCreatedModal(alationQuery(h)),
  },
  'query.ts': {
    sqlPreview: (h) => ({ type: 'mrkdwn', text: query.sqlPreview(h) }),
    queryButtons: () => query.queryButtons(6),
    buildCreatedMessage: (h) =>
      query.buildCreatedMessage({
        query: alationQuery(h),
        alationBaseUrl: BASE,
        creatorUserId: 'U1',
      }),
    buildQueryCard: (h) =>
      query.buildQueryCard({
        query: alationQuery(h),
        alationBaseUrl: BASE,
        now: NOW,
        zone: h,
        scheduledRuns: [
          { task_id: h, ts_sent_to_broker: h, ts_prerun: h, ts_postrun: null, query_title: h },
        ],
      }),
    buildSearchResults: (h) =>
      [
        { queries: [alationQuery(h), alationQuery(h)], firstIndex: 1, more: h },
        { queries: [], firstIndex: 1, more: undefined },
        { queries: [], firstIndex: 11, more: undefined },
      ].map((page) => query.buildSearchResults({ text: h, ...page })),
  },
  'result.ts': {
    buildResultMessage: (h) =>
      [preview(h), preview(h, false), { ...preview(h), header: [] }].map((p) =>
        result.buildResultMessage(
          {
            kind: 'ready',
            resultId: 1,
            truncated: true,
            previewOnly: true,
            rowCount: 100,
            expiresAt: NOW,
            executedAt: EARLIER,
            secondsTaken: 2,
          },
          p,
          resultContext(h),
        ),
      ),
    buildNoResultMessage: (h) =>
      (
        [
          { kind: 'none' },
          { kind: 'failed', error: h, executedAt: EARLIER, secondsTaken: 1 },
          { kind: 'canceled', executedAt: EARLIER, secondsTaken: undefined },
          { kind: 'running', executedAt: EARLIER, secondsTaken: undefined },
          { kind: 'expired', expiredAt: NOW, executedAt: undefined, secondsTaken: undefined },
        ] as const
      ).map((state) => result.buildNoResultMessage(state, resultContext(h))),
  },
  'runs.ts': {
    runLine: (h) => ({
      type: 'mrkdwn',
      text: runs.runLine({ event: event(h), scheduled: true }, NOW, h),
    }),
    buildRunsMessage: (h) =>
      [
        {
          rows: [
            { event: event(h), scheduled: false },
            { event: event(h, { execution_error: null }), scheduled: undefined },
          ],
        },
        { rows: [] },
      ].map((page) =>
        runs.buildRunsMessage({
          queryId: 6,
          failedOnly: true,
          now: NOW,
          zone: h,
          more: h,
          continued: false,
          truncated: true,
          ...page,
        }),
      ),
  },
  'sql.ts': {
    buildSqlMessage: (h) =>
      [h, h.repeat(40).slice(0, sql.INLINE_SQL_LIMIT)].map((text) =>
        sql.buildSqlMessage({ queryId: 6, sql: text, queryUrl: `${BASE}/query/6/` }),
      ),
  },
  'sync.ts': {
    buildSyncUsageMessage: (h) => sync.buildSyncUsageMessage(h),
    buildSyncFailureMessage: (h) =>
      syncFailures(h).map((failure) => sync.buildSyncFailureMessage(failure, syncRequest(h))),
    buildSyncModal: (h) =>
      sync.buildSyncModal({
        privateMetadata: h,
        values: { datasourceId: h, schema: h, table: h, tableType: 'VIEW' },
        problem: h,
      }),
    buildSyncingModal: (h) => sync.buildSyncingModal(syncRequest(h)),
    buildSyncedModal: (h) => sync.buildSyncedModal(syncedTable(h)),
    buildSyncedTableMessage: (h) =>
      sync.buildSyncedTableMessage({
        table: syncedTable(h),
        request: syncRequest(h),
        alationBaseUrl: BASE,
        requestedBy: 'U1',
      }),
  },
  'unfurl.ts': {
    badgeLine: (h) => ({ type: 'mrkdwn', text: unfurl.badgeLine(trustFlag(h)) }),
    buildUnfurlCard: (h) =>
      unfurl.buildUnfurlCard({
        ref: { otype: 'query', id: 6 },
        url: `${BASE}/query/6/`,
        title: h,
        description: h,
        detail: h,
        flags: (['ENDORSEMENT', 'WARNING', 'DEPRECATION'] as const).flatMap((t) => [
          trustFlag(h, t),
          trustFlag(h, t),
        ]),
      }),
  },
  'upstream-error.ts': {
    buildUpstreamErrorMessage: (h) =>
      upstreamErrors(h).map((error) =>
        upstreamError.buildUpstreamErrorMessage(error, `look up job ${echo(h)}`),
      ),
  },
};
