import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeQueryRunRef } from '../../src/client/mode/ref.ts';
import type { Owner } from '../../src/store/credentials.ts';
import { blockAction, slashCommand } from '../driver.ts';
import { basicAuth } from '../emulators/mode.ts';
import { SLACK_DEFAULTS } from '../emulators/slack.ts';
import { DEFAULT_OWNER, startTestBot, type TestBot } from '../support/bot.ts';
import { textOf } from '../support/flows.ts';
import { nextResponse } from '../support/respond.ts';

let t: TestBot;
const RUN_PATH = '/api/acme/reports/r3p0rt/runs/run1';
const CSV = 'day,revenue\n2026-01-01,1200.50\n2026-01-02,"1,300.00"\n';
const RAW = "SELECT day, sum(amount) AS revenue FROM sales WHERE day >= '{{ since }}' GROUP BY 1";
const RENDERED =
  "SELECT day, sum(amount) AS revenue FROM sales WHERE day >= '2026-01-01' GROUP BY 1";

beforeEach(async () => {
  t = await startTestBot();
});
afterEach(() => t.stop());

function seed() {
  const now = Date.now();
  const ok = t.mode.addQueryRun({
    workspace: 'acme',
    report: 'r3p0rt',
    run: 'run1',
    token: 'qrok',
    queryName: 'Daily revenue',
    state: 'succeeded',
    createdAt: new Date(now - 2 * 3600_000),
    completedAt: new Date(now - 2 * 3600_000 + 65_000),
    rawSource: RAW,
    renderedSource: RENDERED,
    parameters: { since: '2026-01-01' },
    limit: true,
    dataSourceId: 3,
    dataSourceToken: 'dwh0',
    csv: CSV,
  });
  const bad = t.mode.addQueryRun({
    workspace: 'acme',
    report: 'r3p0rt',
    run: 'run1',
    token: 'qrbad',
    queryName: 'Churn <by> cohort',
    state: 'failed',
    createdAt: new Date(now - 2 * 3600_000),
    completedAt: new Date(now - 2 * 3600_000 + 4_200),
    errorType: 'QueryError',
    errorMessage: 'column "cohort" does not exist',
  });
  const running = t.mode.addQueryRun({
    workspace: 'acme',
    report: 'r3p0rt',
    run: 'run1',
    token: 'qrrun',
    queryName: 'Slow funnel',
    state: 'running',
    createdAt: new Date(now - 5 * 60_000),
    completedAt: null,
  });
  return { ok, bad, running };
}

async function mode(text: string, userId?: string) {
  const responseUrl = t.slack.responseUrl();
  const ack = await slashCommand(t.target, {
    text: `mode ${text}`,
    response_url: responseUrl,
    ...(userId ? { user_id: userId } : {}),
  });
  expect(ack.status).toBe(200);
  return { ack, reply: (count = 1) => nextResponse(t, responseUrl, count) };
}

type Button = { action_id: string; value: string; text: { text: string } };
function buttonsOf(message: unknown): Button[] {
  const blocks = (message as { blocks?: { type: string; elements?: Button[] }[] }).blocks ?? [];
  return blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);
}

async function click(actionId: string, value: string) {
  const responseUrl = t.slack.responseUrl();
  const ack = await blockAction(t.target, {
    actions: [{ action_id: actionId, value }],
    response_url: responseUrl,
  });
  expect(ack.status).toBe(200);
  return { reply: (count = 1) => nextResponse(t, responseUrl, count) };
}

const dataCalls = () => t.mode.requests.filter((r) => r.path.startsWith('/api/acme/reports/'));

describe('/alation mode runs', () => {
  it('lists the query runs with state, times in the user’s zone, duration and errors', async () => {
    const api = await t.connectMode();
    seed();
    const { ack, reply } = await mode('runs acme r3p0rt run1');
    expect(ack.raw).toBe('');
    const message = await reply();
    expect(message.response_type).toBe('ephemeral');
    const text = textOf(message);
    expect(text).toContain('Query runs of Mode report run');
    expect(text).toContain(
      `<${t.mode.url}/acme/reports/r3p0rt/runs/run1|acme/reports/r3p0rt/runs/run1>`,
    );
    expect(text).toContain('3 queries: 1 succeeded, 1 failed, 1 running');
    expect(text).toContain(':white_check_mark: Succeeded  *Daily revenue*');
    expect(text).toContain(':x: Failed  *Churn &lt;by&gt; cohort*');
    expect(text).toContain(':arrows_counterclockwise: Running  *Slow funnel*');
    expect(text).toMatch(
      /Started 2 hours ago \(\w{3} \d+ \w{3} \d{4}, \d\d:\d\d UTC\+0[12]:00\) · finished \d hours? ago \([^)]+\) · took 1 min 5 s/,
    );
    expect(text).toContain('took 4.2 s');
    expect(text).toMatch(/going for 5 min/);
    expect(text).toContain('```QueryError: column "cohort" does not exist```');

    const buttons = buttonsOf(message);
    expect(buttons.map((b) => `${b.action_id}:${decodeQueryRunRef(b.value)?.queryRun}`)).toEqual([
      'mode_query_run_details:qrok',
      'mode_query_run_csv:qrok',
      'mode_query_run_details:qrbad',
      'mode_query_run_details:qrrun',
    ]);
    for (const b of buttons) expect(b.value.length).toBeLessThan(2000);

    const [call, ...more] = dataCalls();
    expect(more).toEqual([]);
    expect(call?.path).toBe(`${RUN_PATH}/query_runs`);
    expect(call?.headers.authorization).toBe(api.authorization);
    expect(call?.headers.accept).toContain('application/hal+json');
  });

  it.each([
    ['runs https://app.mode.com/acme/reports/r3p0rt/runs/run1'],
    ['runs <https://app.mode.com/acme/reports/r3p0rt/runs/run1?tab=queries>'],
    ['https://app.mode.com/acme/reports/r3p0rt/runs/run1'],
    ['runs <https://app.mode.com/acme/reports/r3p0rt/runs/run1/query_runs/qrbad|the run>'],
  ])('takes a pasted report-run URL: %s', async (text) => {
    await t.connectMode();
    seed();
    const reply = await (await mode(text)).reply();
    expect(textOf(reply)).toContain('3 queries');
    expect(dataCalls().map((r) => r.path)).toEqual([`${RUN_PATH}/query_runs`]);
  });

  it('says when a report run has no query runs', async () => {
    await t.connectMode();
    t.mode.addReportRun({ workspace: 'acme', report: 'r3p0rt', token: 'empty' });
    const reply = await (await mode('runs acme r3p0rt empty')).reply();
    expect(textOf(reply)).toContain('has no query runs');
  });

  it.each([
    ['runs', /Which report run\?/],
    ['runs acme r3p0rt', /give exactly three things/],
    ['runs acme/x r3p0rt run1', /`acme\/x` is not a Mode workspace name/],
    ['runs acme r3p0rt run?1', /`run\?1` is not a Mode run token/],
    ['runs https://example.com/something', /That link is not a Mode report run/],
    ['run acme r3p0rt run1', /Which query run\?/],
    ['run https://app.mode.com/acme/reports/r3p0rt/runs/run1', /which of its query runs\?/],
    ['frobnicate', /is not something I know.*mode runs/],
  ])('explains bad input `%s` privately, without calling Mode', async (text, expected) => {
    await t.connectMode();
    const { ack } = await mode(text);
    expect(ack.body).toMatchObject({ response_type: 'ephemeral' });
    expect(textOf(ack.body)).toMatch(expected);
    expect(t.mode.requests).toEqual([]);
  });

  it('acts with each Slack user’s own Mode token', async () => {
    const bob: Owner = { tenantId: SLACK_DEFAULTS.teamId, userId: 'U0USER0002' };
    const alice = await t.connectMode();
    const bobs = await t.connectMode(bob);
    seed();
    await (await mode('runs acme r3p0rt run1')).reply();
    await (await mode('runs acme r3p0rt run1', bob.userId)).reply();
    const calls = dataCalls();
    expect(calls.map((c) => c.userId)).toEqual([alice.token, bobs.token]);
    expect(calls.map((c) => c.headers.authorization)).toEqual([
      basicAuth(alice.token, alice.secret),
      basicAuth(bobs.token, bobs.secret),
    ]);
  });
});

describe('/alation mode run and the Details button', () => {
  it('shows rendered and raw SQL, parameters, limit, data source and web links', async () => {
    await t.connectMode();
    seed();
    const reply = await (await mode('run acme r3p0rt run1 qrok')).reply();
    const text = textOf(reply);
    expect(text).toContain(
      `:white_check_mark: Succeeded  *<${t.mode.url}/acme/reports/r3p0rt/queries/`,
    );
    expect(text).toContain('Query run `qrok` · data source 3 · dwh0 · limit on');
    expect(text).toContain('took 1 min 5 s');
    expect(text).toContain('*Parameters*\n• `since` = 2026-01-01');
    expect(text).toContain(
      `*Rendered SQL* (as it ran, parameters filled in)\n\`\`\`${RENDERED.replaceAll('>', '&gt;')}\`\`\``,
    );
    expect(text).toContain(`*Raw SQL* (as written)\n\`\`\`${RAW.replaceAll('>', '&gt;')}\`\`\``);
    expect(text).toContain(
      `<${t.mode.url}/acme/reports/r3p0rt/runs/run1/query_runs/qrok/results|Result in Mode>`,
    );
    expect(text).toContain(`<${t.mode.url}/acme/reports/r3p0rt/runs/run1|Report run in Mode>`);
    expect(buttonsOf(reply).map((b) => b.action_id)).toEqual(['mode_query_run_csv']);
    expect(dataCalls().map((r) => r.path)).toEqual([`${RUN_PATH}/query_runs/qrok`]);
    expect(t.slack.callsTo('files.getUploadURLExternal')).toEqual([]);
  });

  it('shows a failure’s error through the Details button, and one SQL when nothing was rendered differently', async () => {
    await t.connectMode();
    const { bad } = seed();
    const list = await (await mode('runs acme r3p0rt run1')).reply();
    const details = buttonsOf(list).find(
      (b) => b.action_id === 'mode_query_run_details' && b.value.includes(bad.token),
    );
    const reply = await (await click('mode_query_run_details', details?.value ?? '')).reply();
    expect(reply.replace_original).toBe(false);
    const text = textOf(reply);
    expect(text).toContain(':x: Failed');
    expect(text).toContain('*Error*\n```QueryError: column "cohort" does not exist```');
    expect(text).toContain('*SQL*\n```SELECT 1```');
    expect(text).toContain('*Parameters*: none');
    expect(text).toContain('limit off');
    expect(buttonsOf(reply)).toEqual([]);
  });

  it('takes a pasted query-run URL', async () => {
    await t.connectMode();
    seed();
    const reply = await (
      await mode('<https://app.mode.com/acme/reports/r3p0rt/runs/run1/query_runs/qrbad/results>')
    ).reply();
    expect(textOf(reply)).toContain(':x: Failed');
    expect(dataCalls().map((r) => r.path)).toEqual([`${RUN_PATH}/query_runs/qrbad`]);
  });

  it('attaches long SQL as .sql files in the channel instead of inline', async () => {
    await t.connectMode();
    const longRaw = `SELECT\n${Array.from({ length: 400 }, (_, i) => `  col_${i} AS "{{ p${i} }}"`).join(',\n')}\nFROM t`;
    const longRendered = longRaw.replace(/\{\{ p(\d+) \}\}/g, 'v$1');
    t.mode.addQueryRun({
      workspace: 'acme',
      report: 'r3p0rt',
      run: 'run1',
      token: 'qrlong',
      queryName: 'Wide one',
      rawSource: longRaw,
      renderedSource: longRendered,
    });
    const reply = await (await mode('run acme r3p0rt run1 qrlong')).reply();
    const text = textOf(reply);
    expect(text).toContain(
      'attached to this conversation as `Wide-one.sql` and `Wide-one.raw.sql`',
    );
    expect(text).not.toContain('col_399');
    const uploads = [...t.slack.uploads.values()];
    expect(uploads.map((u) => u.filename)).toEqual(['Wide-one.sql', 'Wide-one.raw.sql']);
    expect(uploads[0]?.bytes?.toString('utf8')).toBe(longRendered);
    expect(uploads[1]?.bytes?.toString('utf8')).toBe(longRaw);
    expect(uploads.every((u) => u.completed?.channel_id === SLACK_DEFAULTS.channelId)).toBe(true);
  });
});

describe('the CSV button', () => {
  async function csvButton() {
    const list = await (await mode('runs acme r3p0rt run1')).reply();
    const button = buttonsOf(list).find((b) => b.action_id === 'mode_query_run_csv');
    expect(button).toBeDefined();
    return button?.value ?? '';
  }

  it.each([
    ['plain', 'off'],
    ['gzip', 'always'],
  ] as const)(
    'streams a %s CSV into the channel unchanged, named after the query',
    async (_kind, gzip) => {
      const api = await t.connectMode();
      seed();
      t.mode.knobs.gzipCsv = gzip;
      const value = await csvButton();
      await click('mode_query_run_csv', value);
      // The share waits for its chart, and the first chart of a process loads Vega (seconds on
      // a loaded machine; run.ts warms it up after ready, the test bot does not).
      const [complete] = await t.slack.waitFor('files.completeUploadExternal', {
        timeoutMs: 30_000,
      });
      expect(complete?.args.channel_id).toBe(SLACK_DEFAULTS.channelId);
      const uploads = [...t.slack.uploads.values()];
      const upload = uploads.find((u) => u.filename.endsWith('.csv'));
      expect(upload?.filename).toBe('Daily-revenue.csv');
      // The chart from the same stream, shared with it (issue 16).
      const chart = uploads.find((u) => u.filename.endsWith('.png'));
      expect(chart?.filename).toBe('Daily-revenue.png');
      expect(chart?.alt_text).toMatch(
        /^Line chart of revenue by day, 1–2 Jan 2026, max 1,300 on 2 Jan 2026/,
      );
      expect(complete?.args.files).toHaveLength(2);
      expect(upload?.bytes?.equals(Buffer.from(CSV, 'utf8'))).toBe(true);
      const message = textOf(t.slack.messages(SLACK_DEFAULTS.channelId).at(-1));
      expect(message).toContain('Daily revenue');
      expect(message).toContain('2026-01-02 | 1,300.00');
      expect(message).toContain(
        `The full CSV (${CSV.length} B) is attached: \`Daily-revenue.csv\``,
      );
      const csvCall = t.mode.requestsTo('GET', `${RUN_PATH}/query_runs/qrok/results/content.csv`);
      expect(csvCall).toHaveLength(1);
      expect(csvCall[0]?.headers.authorization).toBe(api.authorization);
    },
  );

  it('says a run that did not succeed has no CSV', async () => {
    await t.connectMode();
    seed();
    const value = JSON.stringify({ a: 'acme', r: 'r3p0rt', n: 'run1', q: 'qrbad' });
    const reply = await (await click('mode_query_run_csv', value)).reply();
    expect(textOf(reply)).toContain('has no result to share');
    expect(t.slack.callsTo('files.getUploadURLExternal')).toEqual([]);
  });

  it('names the result path when Mode has no CSV for the run', async () => {
    await t.connectMode();
    seed();
    const value = await csvButton();
    t.mode.fault({
      path: `${RUN_PATH}/query_runs/qrok/results`,
      status: 404,
      body: { id: 'not_found', message: 'Not found' },
    });
    const reply = await (await click('mode_query_run_csv', value)).reply();
    expect(textOf(reply)).toContain(
      `Mode has no result CSV for query run \`qrok\` (tried \`GET ${RUN_PATH}/query_runs/qrok/results/content.csv\`)`,
    );
  });

  it('answers a button whose value was tampered with', async () => {
    await t.connectMode();
    const reply = await (await click('mode_query_run_details', '{"a":"../x"}')).reply();
    expect(textOf(reply)).toContain('no longer says which query run');
    expect(t.mode.requests).toEqual([]);
  });
});

describe('when Mode or the credentials fail', () => {
  it('asks to connect Mode first when the user has no Mode credentials', async () => {
    seed();
    const reply = await (await mode('runs acme r3p0rt run1')).reply();
    expect(textOf(reply)).toContain('Connect Mode first: `/alation mode login`');
    expect(buttonsOf(reply).map((b) => b.action_id)).toEqual(['mode_connect']);
    expect(t.mode.requests).toEqual([]);
  });

  it('the Connect Mode button opens the Mode login form', async () => {
    await blockAction(t.target, { actions: [{ action_id: 'mode_connect', value: 'mode' }] });
    const [open] = await t.slack.waitFor('views.open');
    expect((open?.args.view as { callback_id?: string } | undefined)?.callback_id).toBe(
      'mode_login',
    );
  });

  it('on a 401, marks the credential for reconnecting and prompts to reconnect', async () => {
    const api = t.mode.addApiToken({ workspaces: ['acme'] });
    await t.features.credentials.save(
      DEFAULT_OWNER,
      'mode',
      { token: api.token, secret: 'a-secret-mode-no-longer-takes' },
      { workspace: 'acme', name: 'Acme' },
    );
    seed();
    const reply = await (await mode('runs acme r3p0rt run1')).reply();
    expect(textOf(reply)).toContain(
      '*Reconnect Mode.* Mode no longer accepts your API token and secret',
    );
    expect(textOf(reply)).toContain('`/alation mode login`');
    const loaded = await t.features.credentials.load(DEFAULT_OWNER, 'mode');
    expect(loaded).toMatchObject({ state: 'reconnect', reason: 'credentials_rejected' });
    // The next command does not try the rejected token again.
    const before = t.mode.requests.length;
    const again = await (await mode('run acme r3p0rt run1 qrok')).reply();
    expect(textOf(again)).toContain('Reconnect Mode');
    expect(t.mode.requests.length).toBe(before);
  });

  it('on a 404, says the report run was not found and names the path it tried', async () => {
    await t.connectMode();
    seed();
    const reply = await (await mode('runs acme r3p0rt nope')).reply();
    expect(textOf(reply)).toContain(
      'Mode found no report run `acme/reports/r3p0rt/runs/nope` that your Mode token can see (tried `GET /api/acme/reports/r3p0rt/runs/nope/query_runs`)',
    );
    const missing = await (await mode('run acme r3p0rt run1 zzz')).reply();
    expect(textOf(missing)).toContain(
      `Mode found no query run \`zzz\` in report run \`acme/reports/r3p0rt/runs/run1\` (tried \`GET ${RUN_PATH}/query_runs/zzz\`)`,
    );
  });

  it('waits out a short 429 and answers', async () => {
    await t.connectMode();
    seed();
    t.mode.fault({ path: `${RUN_PATH}/query_runs`, status: 429, retryAfter: 1 });
    const started = Date.now();
    const reply = await (await mode('runs acme r3p0rt run1')).reply();
    expect(textOf(reply)).toContain('3 queries');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(dataCalls()).toHaveLength(2);
  });

  it('says Mode is throttling when it asks for a long wait', async () => {
    await t.connectMode();
    seed();
    t.mode.fault({ path: `${RUN_PATH}/query_runs`, status: 429, retryAfter: 120 });
    const reply = await (await mode('runs acme r3p0rt run1')).reply();
    expect(textOf(reply)).toContain(
      'Could not list the query runs of Mode report run `acme/reports/r3p0rt/runs/run1`. Mode is throttling requests and asked to wait 120 seconds. Try again in a little while.',
    );
  });

  it('reports a Mode server error', async () => {
    await t.connectMode();
    seed();
    t.mode.fault({ path: `${RUN_PATH}/query_runs`, status: 500 });
    const reply = await (await mode('run acme r3p0rt run1 qrok')).reply();
    expect(textOf(reply)).toContain('Mode had a problem (status 500)');
    expect(textOf(reply)).toContain('Try again in a minute');
    expect(textOf(reply)).not.toMatch(/at \S+\.ts:\d+/);
  });

  it('reports a Mode that does not answer in time', async () => {
    await t.connectMode();
    seed();
    t.mode.fault({ path: `${RUN_PATH}/query_runs`, hang: true });
    const reply = await (await mode('runs acme r3p0rt run1')).reply();
    expect(textOf(reply)).toContain('Mode did not answer in time. Try again in a minute.');
  });
});
