// Every view builder, fed hostile text in every field that comes from a person, Alation or Mode,
// must never let Slack markup through: no `<!everyone>`, `<@U…>`, `<#C…>` or `<url|label>` in
// anything Slack parses as mrkdwn (issue 13). A builder added later without an entry in the
// tables (hostile-builders-*.ts) fails the completeness check below.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as alert from '../../../src/views/alert.ts';
import * as alertModal from '../../../src/views/alert-modal.ts';
import * as audience from '../../../src/views/audience.ts';
import * as blocks from '../../../src/views/blocks.ts';
import * as chart from '../../../src/views/chart.ts';
import * as chartModal from '../../../src/views/chart-modal.ts';
import * as connect from '../../../src/views/connect.ts';
import * as cron from '../../../src/views/cron.ts';
import * as digest from '../../../src/views/digest.ts';
import * as digestCopies from '../../../src/views/digest-copies.ts';
import * as digestList from '../../../src/views/digest-list.ts';
import * as digestModal from '../../../src/views/digest-modal.ts';
import * as files from '../../../src/views/files.ts';
import * as flag from '../../../src/views/flag.ts';
import * as flagModal from '../../../src/views/flag-modal.ts';
import * as flagRef from '../../../src/views/flag-ref.ts';
import * as flagRequest from '../../../src/views/flag-request.ts';
import * as flagRequestModal from '../../../src/views/flag-request-modal.ts';
import * as help from '../../../src/views/help.ts';
import * as home from '../../../src/views/home.ts';
import * as html from '../../../src/views/html.ts';
import * as job from '../../../src/views/job.ts';
import * as lifecycle from '../../../src/views/lifecycle.ts';
import * as mode from '../../../src/views/mode.ts';
import * as modeRun from '../../../src/views/mode-run.ts';
import * as modeRuns from '../../../src/views/mode-runs.ts';
import * as openSql from '../../../src/views/open-sql.ts';
import * as previewTable from '../../../src/views/preview-table.ts';
import * as query from '../../../src/views/query.ts';
import * as queryModal from '../../../src/views/query-modal.ts';
import * as result from '../../../src/views/result.ts';
import * as runs from '../../../src/views/runs.ts';
import * as sql from '../../../src/views/sql.ts';
import * as sync from '../../../src/views/sync.ts';
import * as time from '../../../src/views/time.ts';
import * as unfurl from '../../../src/views/unfurl.ts';
import * as upstreamError from '../../../src/views/upstream-error.ts';
import * as whoami from '../../../src/views/whoami.ts';
import { findHostileMarkup, hostileStrings } from '../../support/hostile.ts';
import { ALERT_BUILDERS } from './hostile-builders-alerts.ts';
import { APP_BUILDERS } from './hostile-builders-app.ts';
import { AUDIENCE_BUILDERS } from './hostile-builders-audience.ts';
import { CATALOG_BUILDERS } from './hostile-builders-catalog.ts';
import { CHART_BUILDERS } from './hostile-builders-charts.ts';
import { FLAG_REQUEST_BUILDERS } from './hostile-builders-flag-requests.ts';
import type { Builder } from './hostile-fixtures.ts';

const SEED = 13;
/** The seeded strings (none of this seed's is long), and one of ~10,000 characters. */
const STRINGS = [...hostileStrings(SEED, 48), '<!channel> & <@UHOSTILE1> '.repeat(400)];
/** Shows that a builder really put the hostile text somewhere in its output. */
const MARK = 'HOSTILE-MARK';

const BUILDERS: Record<string, Record<string, Builder>> = {
  ...ALERT_BUILDERS,
  ...APP_BUILDERS,
  ...AUDIENCE_BUILDERS,
  ...CATALOG_BUILDERS,
  ...CHART_BUILDERS,
  ...FLAG_REQUEST_BUILDERS,
};

/** Builders whose output holds no text from outside the bot, so MARK cannot show up. */
const NO_FREE_TEXT = new Set([
  'audience.ts buildAudienceWarning',
  'audience.ts buildSentEachNotice',
  'connect.ts buildCheckingModal',
  'connect.ts buildOAuthModal',
  'connect.ts buildConnectPrompt',
  'connect.ts reconnectReason',
  'flag.ts buildRemoveCancelledMessage',
  'flag.ts buildEndorsementRefusal',
  'flag-request-modal.ts buildAddRefusedModal',
  'flag-request.ts buildRequestReminder',
  'mode-run.ts buildModeConnectPrompt',
  'mode-runs.ts timingLine',
  'open-sql.ts buildOpenSqlLinkModal',
  'query-modal.ts buildCreatingModal',
  'query.ts queryButtons',
]);

const MODULES: Record<string, Record<string, unknown>> = {
  'alert.ts': alert,
  'alert-modal.ts': alertModal,
  'audience.ts': audience,
  'blocks.ts': blocks,
  'chart.ts': chart,
  'chart-modal.ts': chartModal,
  'connect.ts': connect,
  'cron.ts': cron,
  'digest.ts': digest,
  'digest-copies.ts': digestCopies,
  'digest-list.ts': digestList,
  'digest-modal.ts': digestModal,
  'files.ts': files,
  'flag.ts': flag,
  'flag-modal.ts': flagModal,
  'flag-ref.ts': flagRef,
  'flag-request.ts': flagRequest,
  'flag-request-modal.ts': flagRequestModal,
  'help.ts': help,
  'home.ts': home,
  'html.ts': html,
  'job.ts': job,
  'lifecycle.ts': lifecycle,
  'mode.ts': mode,
  'mode-run.ts': modeRun,
  'mode-runs.ts': modeRuns,
  'open-sql.ts': openSql,
  'preview-table.ts': previewTable,
  'query-modal.ts': queryModal,
  'query.ts': query,
  'result.ts': result,
  'runs.ts': runs,
  'sql.ts': sql,
  'sync.ts': sync,
  'time.ts': time,
  'unfurl.ts': unfurl,
  'upstream-error.ts': upstreamError,
  'whoami.ts': whoami,
};

const VIEWS_DIR = fileURLToPath(new URL('../../../src/views/', import.meta.url));

describe('the hostile-text table covers every view', () => {
  it('has every file in src/views', () => {
    const onDisk = readdirSync(VIEWS_DIR).filter((f) => f.endsWith('.ts'));
    expect(Object.keys(MODULES).sort()).toEqual(onDisk.sort());
    expect(Object.keys(BUILDERS).sort()).toEqual(onDisk.sort());
  });

  it('has every exported build* function', () => {
    const missing = Object.entries(MODULES).flatMap(([file, exports]) =>
      Object.entries(exports)
        .filter(([name, value]) => typeof value === 'function' && name.startsWith('build'))
        .filter(([name]) => !(name in (BUILDERS[file] ?? {})))
        .map(([name]) => `${file} ${name}`),
    );
    expect(missing).toEqual([]);
  });

  it('names only functions that exist', () => {
    const unknown = Object.entries(BUILDERS).flatMap(([file, builders]) =>
      Object.keys(builders)
        .filter((name) => typeof MODULES[file]?.[name] !== 'function')
        .map((name) => `${file} ${name}`),
    );
    expect(unknown).toEqual([]);
  });
});

const cases = Object.entries(BUILDERS).flatMap(([file, builders]) =>
  Object.entries(builders).map(([name, build]) => ({ label: `${file} ${name}`, build })),
);

describe.each(cases)('$label with hostile text', ({ label, build }) => {
  it('lets no Slack markup through', () => {
    const leaks = STRINGS.flatMap((h) =>
      findHostileMarkup(build(h)).map(
        (f) => `${f.path}: ${f.markup} (from ${JSON.stringify(h.slice(0, 60))})`,
      ),
    );
    expect(leaks.slice(0, 8).join('\n')).toBe('');
  });

  it.skipIf(NO_FREE_TEXT.has(label))('shows the text it was given', () => {
    expect(JSON.stringify(build(`<!here> ${MARK}`))).toContain(MARK);
  });
});
