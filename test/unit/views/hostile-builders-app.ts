// The hostile-text table for the rest of the views: connections, digests, help, Home, Mode,
// Open SQL, whoami and the shared helpers. Parameters documented as mrkdwn the calling code
// wrote get the hostile text as callers must pass it (through echo() or escapeMrkdwn()); every
// other free-text field gets it raw.
import * as blocks from '../../../src/views/blocks.ts';
import { echo, escapeMrkdwn } from '../../../src/views/blocks.ts';
import * as connect from '../../../src/views/connect.ts';
import * as cron from '../../../src/views/cron.ts';
import * as digest from '../../../src/views/digest.ts';
import * as digestList from '../../../src/views/digest-list.ts';
import * as digestModal from '../../../src/views/digest-modal.ts';
import * as help from '../../../src/views/help.ts';
import * as home from '../../../src/views/home.ts';
import * as lifecycle from '../../../src/views/lifecycle.ts';
import * as mode from '../../../src/views/mode.ts';
import * as modeRun from '../../../src/views/mode-run.ts';
import * as modeRuns from '../../../src/views/mode-runs.ts';
import * as openSql from '../../../src/views/open-sql.ts';
import * as previewTable from '../../../src/views/preview-table.ts';
import * as sql from '../../../src/views/sql.ts';
import * as whoami from '../../../src/views/whoami.ts';
import {
  BASE,
  type Builder,
  connections,
  digestForm,
  digestParams,
  EARLIER,
  MODE_BASE,
  modeQueryRun,
  modeRef,
  NOW,
  preview,
  savedDigest,
  upstreamErrors,
} from './hostile-fixtures.ts';

export const APP_BUILDERS: Record<string, Record<string, Builder>> = {
  'lifecycle.ts': {
    buildCreatorLeftNotice: (h) => lifecycle.buildCreatorLeftNotice(h),
  },
  'blocks.ts': {
    escapeMrkdwn: (h) => ({ type: 'mrkdwn', text: escapeMrkdwn(h) }),
    echo: (h) => ({ type: 'mrkdwn', text: echo(h) }),
    textInput: (h) => blocks.textInput('b', h, { initial: h, hint: h, placeholder: h }),
    plainText: (h) => blocks.plainText(h),
    escapeWithin: (h) => ({ type: 'mrkdwn', text: blocks.escapeWithin(h, 50) }),
    codeBlock: (h) => ({ type: 'mrkdwn', text: blocks.codeBlock(h) }),
  },
  'connect.ts': {
    buildAlationLoginModal: (h) =>
      connect.buildAlationLoginModal({
        alationBaseUrl: BASE,
        privateMetadata: h,
        problem: h,
        userId: h,
      }),
    buildCheckingModal: () => connect.buildCheckingModal(),
    buildOAuthModal: (h) =>
      connect.buildOAuthModal({ authorizeUrl: `${BASE}/oauth/authorize`, externalId: h }),
    buildResultModal: (h) => connect.buildResultModal(`:warning: ${echo(h)}`),
    buildConnectPrompt: (h) => [connect.buildConnectPrompt(h), connect.buildConnectPrompt()],
    reconnectReason: (h) => ({ type: 'mrkdwn', text: connect.reconnectReason(h) }),
    buildConnectedMessage: (h) => [
      connect.buildConnectedMessage({
        alationUserId: 4,
        tokenName: h,
        refreshTokenExpires: h,
        method: 'refresh_token',
      }),
      connect.buildConnectedMessage({ method: 'oauth' }),
    ],
  },
  'cron.ts': {
    cronToWords: (h) =>
      [h, `0 9 * * ${h}`, `${h} 9 * * 1`].map((c) => ({
        type: 'mrkdwn',
        text: cron.cronToWords(c),
      })),
  },
  'digest.ts': {
    digestHeader: (h) =>
      digest.digestHeader({ name: h, from: EARLIER, to: NOW, zone: h, manual: true }),
    buildDigestMessage: (h) =>
      [0, 1, 60].map((n) =>
        digest.buildDigestMessage({
          frame: { name: h, from: EARLIER, to: NOW, zone: h, manual: false },
          text: `${n} failed runs on ${escapeMrkdwn(h)}`,
          items: Array.from({ length: n }, () => [blocks.section(`*${digest.linkText(h)}*`)]),
          empty: `No failed runs on ${escapeMrkdwn(h)}.`,
          more: { url: `${BASE}/`, label: 'See every run in Alation' },
        }),
      ),
    linkText: (h) => ({ type: 'mrkdwn', text: `<${BASE}|${digest.linkText(h)}>` }),
    problemText: (h) =>
      (
        [
          { kind: 'not_in_channel' },
          { kind: 'archived' },
          { kind: 'channel_not_found' },
          { kind: 'credentials', provider: 'alation', reason: h },
          { kind: 'credentials', provider: 'mode', reason: h },
          { kind: 'not_found', what: h },
          { kind: 'upstream', message: h },
        ] as const
      ).flatMap((problem) =>
        [false, true].map((paused) => ({
          type: 'mrkdwn',
          text: digest.problemText(problem, 'C1', paused),
        })),
      ),
    buildDeliveryProblemDm: (h) =>
      (
        [
          { kind: 'upstream', message: h },
          { kind: 'not_found', what: h },
          { kind: 'credentials', provider: 'mode', reason: h },
        ] as const
      ).map((problem) =>
        digest.buildDeliveryProblemDm({
          digestName: h,
          channelId: 'C1',
          problem,
          paused: true,
          failures: 3,
        }),
      ),
  },
  'digest-list.ts': {
    describeParams: (h) =>
      digestParams(h).map((p) => ({ type: 'mrkdwn', text: digestList.describeParams(p) })),
    buildDigestList: (h) =>
      digestList.buildDigestList({
        digests: digestParams(h).map((p, i) => ({
          ...savedDigest(h, p),
          id: `d${i}`,
          status: i % 2 === 0 ? 'active' : 'paused',
        })),
        next: new Map([['d0', NOW]]),
        now: NOW,
        notice: `Paused *${escapeMrkdwn(h)}*.`,
      }),
  },
  'digest-modal.ts': {
    buildDigestModal: (h) =>
      digestModal.AVAILABLE_KINDS.flatMap((kind) =>
        ['hourly', 'daily', 'weekly', 'cron'].map((schedule, i) =>
          digestModal.buildDigestModal({
            form: digestForm(h, kind, schedule),
            preview: [
              { problem: h },
              { runs: [EARLIER, NOW], zone: h, skipped: NOW },
              { runs: [NOW], zone: 'Europe/Berlin' },
              undefined,
            ][i],
            privateMetadata: h,
            editing: i % 2 === 0,
          }),
        ),
      ),
  },
  'files.ts': {},
  'help.ts': {
    buildHelpMessage: (h) =>
      help.buildHelpMessage(
        [{ name: 'query', usage: '<id>', summary: 'A query’s card.', example: '/alation query 6' }],
        { slashCommand: h, notice: `Unknown command ${echo(h)}.` },
      ),
  },
  'home.ts': {
    buildHomeView: (h) =>
      connections(h).map(([alation, modeConnection]) =>
        home.buildHomeView({
          alation: alation as whoami.ConnectionSummary,
          mode: modeConnection as whoami.ConnectionSummary,
          watches: [
            {
              label: h,
              channelId: 'C1',
              permalink: 'https://x.slack.com/p1',
              jobStatus: h,
              started: h,
            },
            { label: h, channelId: 'C2', jobStatus: null, started: h },
          ],
          digests: digestList.buildDigestList({
            digests: [savedDigest(h, { kind: 'failed_runs' })],
            next: new Map(),
            now: NOW,
          }).blocks,
          formatDate: (iso) => iso,
        }),
      ),
  },
  'mode.ts': {
    buildModeLoginModal: (h) => mode.buildModeLoginModal({ problem: h, workspace: h }),
  },
  'mode-run.ts': {
    limitText: (h) => ({ type: 'mrkdwn', text: modeRun.limitText(h) }),
    parametersText: (h) =>
      [{ [h]: h }, h].map((p) => ({ type: 'mrkdwn', text: modeRun.parametersText(p) ?? '' })),
    buildModeRunDetails: (h) =>
      (
        [
          { kind: 'inline' },
          { kind: 'files', files: [h, `${h}.sql`] },
          { kind: 'not_attached' },
        ] satisfies modeRun.SqlPlacement[]
      ).flatMap((placement) =>
        [modeQueryRun(h), modeQueryRun(h, { state: 'succeeded', _links: {} })].map((run) =>
          modeRun.buildModeRunDetails({
            ref: modeRef(h),
            run,
            modeBaseUrl: MODE_BASE,
            sql: placement,
            now: NOW,
            zone: h,
          }),
        ),
      ),
    buildModeCsvMessage: (h) =>
      [preview(h), preview(h, false), { ...preview(h), header: [] }].flatMap((p) =>
        [modeQueryRun(h), modeQueryRun(h, { _links: {} })].map((run) =>
          modeRun.buildModeCsvMessage({
            run,
            modeBaseUrl: MODE_BASE,
            preview: p,
            now: NOW,
            zone: h,
          }),
        ),
      ),
    buildModeConnectPrompt: (h) => [
      modeRun.buildModeConnectPrompt(h),
      modeRun.buildModeConnectPrompt(),
    ],
    buildModeErrorMessage: (h) =>
      upstreamErrors(h).map((error) =>
        modeRun.buildModeErrorMessage(error, `get query run ${echo(h)}`),
      ),
    buildModeNotice: (h) => modeRun.buildModeNotice(`:mag: Mode found no run ${echo(h)}.`),
  },
  'mode-runs.ts': {
    stateBadge: (h) => ({ type: 'mrkdwn', text: modeRuns.stateBadge(h) }),
    timingLine: (h) => ({
      type: 'mrkdwn',
      text: modeRuns.timingLine(modeQueryRun(h), { now: NOW, zone: h }),
    }),
    linkLabel: (h) => ({ type: 'mrkdwn', text: `<${MODE_BASE}|${modeRuns.linkLabel(h)}>` }),
    runButtons: (h) => modeRuns.runButtons(modeRef(h), modeQueryRun(h, { state: 'succeeded' })),
    buildModeRunsMessage: (h) =>
      [0, 2, 25].map((n) =>
        modeRuns.buildModeRunsMessage({
          ref: modeRef(h),
          runs: Array.from({ length: n }, (_, i) =>
            modeQueryRun(h, { state: ['failed', 'succeeded', h][i % 3] }),
          ),
          modeBaseUrl: MODE_BASE,
          now: NOW,
          zone: h,
        }),
      ),
  },
  'open-sql.ts': {
    buildOpenSqlModal: (h) =>
      openSql.buildOpenSqlModal({ sql: h, datasourceId: 3, privateMetadata: h }),
    buildOpenSqlLinkModal: () => [
      openSql.buildOpenSqlLinkModal({ url: `${BASE}/compose/`, datasourceId: 3 }),
      openSql.buildOpenSqlLinkModal({ url: `${BASE}/compose/`, datasourceId: 3, draftQueryId: 4 }),
    ],
    buildOpenSqlNoticeModal: (h) => [
      openSql.buildOpenSqlNoticeModal({ text: `:warning: ${escapeMrkdwn(h)}`, blocks: [] }),
      openSql.buildOpenSqlNoticeModal(sql.buildSqlMessage({ queryId: 6, sql: h, queryUrl: BASE })),
    ],
  },
  'preview-table.ts': {
    renderTable: (h) => ({
      type: 'mrkdwn',
      text: blocks.codeBlock(previewTable.renderTable([h, h], [[h, h]]).text),
    }),
  },
  'time.ts': {},
  'whoami.ts': {
    buildWhoamiMessage: (h) =>
      connections(h).map(([alation, modeConnection]) =>
        whoami.buildWhoamiMessage({
          alation: alation as whoami.ConnectionSummary,
          mode: modeConnection as whoami.ConnectionSummary,
          formatDate: (iso) => iso,
        }),
      ),
  },
};
