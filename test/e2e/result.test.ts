import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blockAction, messageAction, slashCommand } from '../driver.ts';
import { SLACK_DEFAULTS } from '../emulators/slack.ts';
import { DEFAULT_OWNER, startTestBot, type TestBot } from '../support/bot.ts';
import { bigCsv } from '../support/csv.ts';
import { textOf } from '../support/flows.ts';
import { nextResponse } from '../support/respond.ts';

let t: TestBot;
let datasourceId: number;
const CSV =
  'region,total,comment\nEMEA,1200.50,"fine, steady"\nAMER,980.00,"new ""record"""\nAPAC,410.25,\n';

beforeEach(async () => {
  t = await startTestBot();
  datasourceId = t.alation.addDataSource({ title: 'Warehouse' }).id;
  await t.connectAlation(DEFAULT_OWNER, 7);
});
afterEach(() => t.stop());

function seed(
  result: Parameters<TestBot['alation']['addResult']>[1] = {},
  title = 'Sales by region',
) {
  const query = t.alation.addQuery({ datasourceId, title, content: 'SELECT 1' });
  const executedAt = new Date(Date.now() - 2 * 3600_000);
  const seeded = t.alation.addResult(query.id, {
    csv: CSV,
    rowCount: 3,
    secondsTaken: 0.42,
    executedAt,
    ...result,
  });
  return { query, resultId: seeded.resultId };
}

async function result(args: string) {
  const responseUrl = t.slack.responseUrl();
  const ack = await slashCommand(t.target, { text: `result ${args}`, response_url: responseUrl });
  return { ack, responseUrl };
}

const shared = async () => {
  const [complete] = await t.slack.waitFor('files.completeUploadExternal');
  const upload = [...t.slack.uploads.values()].at(-1);
  return { complete, upload, message: t.slack.messages(SLACK_DEFAULTS.channelId).at(-1) };
};

describe('/alation result', () => {
  it('shares one message with a preview and the CSV attached, byte for byte', async () => {
    const { query, resultId } = seed();
    const { ack } = await result(String(query.id));
    expect(textOf(ack.body)).toContain(`Fetching the latest result of query ${query.id}`);
    const { complete, upload, message } = await shared();
    expect(complete?.args.channel_id).toBe(SLACK_DEFAULTS.channelId);
    expect(upload?.filename).toBe(`Sales-by-region-${resultId}.csv`);
    expect(upload?.bytes?.toString('utf8')).toBe(CSV);
    const text = textOf(message);
    expect(text).toContain(`Sales by region>* (query ${query.id})`);
    expect(text).toMatch(
      /Ran 2 hours ago \(\w{3} \d+ \w{3} \d{4}, \d\d:\d\d UTC\+0[12]:00\) · took 0\.42 s · 3 rows/,
    );
    expect(text).toContain('region | total   | comment');
    expect(text).toContain('AMER   | 980.00  | new "record"');
    expect(text).toContain(
      `The full CSV (${CSV.length} B) is attached: \`Sales-by-region-${resultId}.csv\``,
    );

    const asked = t.alation.requests.map(
      (r) => `${r.method} ${r.path}${r.query.size ? `?${r.query}` : ''}`,
    );
    expect(asked).toEqual(
      expect.arrayContaining([
        `GET /integration/v1/query/${query.id}/`,
        `GET /integration/v1/query/${query.id}/result/latest/`,
        `GET /integration/v1/query/${query.id}/execution_event/?result_id=${resultId}&limit=1`,
        `GET /integration/v1/result/${resultId}/csv/`,
      ]),
    );
    const dataCalls = t.alation.requests.filter((x) =>
      /^\/integration\/v1\/(query|result)\//.test(x.path),
    );
    expect(dataCalls).toHaveLength(4);
    for (const r of dataCalls) expect(r.userId).toBe(7);
  });

  it('relays a 16 MB result unchanged', async () => {
    const big = bigCsv(16 * 1024 * 1024);
    const { query } = seed({
      csv: big.chunks,
      rowCount: big.rows,
      truncated: true,
      storageStatus: 'STORED_PART',
    });
    await result(String(query.id));
    const { upload, message } = await shared();
    expect(upload?.bytes?.length).toBe(big.bytes);
    expect(
      createHash('sha256')
        .update(upload?.bytes ?? Buffer.alloc(0))
        .digest('hex'),
    ).toBe(big.sha256);
    const text = textOf(message);
    expect(text).toContain('Partial result');
    expect(text).toContain(`Preview: first 10 rows of ${big.rows.toLocaleString('en-US')}`);
    expect(text).toContain('(16.0 MB)');
  }, 60_000);

  it('streams straight through, in one pass, when Alation states the length', async () => {
    t.alation.knobs.csvContentLength = true;
    const big = bigCsv(16 * 1024 * 1024);
    const { query } = seed({ csv: big.chunks, rowCount: big.rows });
    await result(String(query.id));
    const { upload, message } = await shared();
    const [reserved] = t.slack.callsTo('files.getUploadURLExternal');
    expect(Number(reserved?.args.length)).toBe(big.bytes);
    expect(
      createHash('sha256')
        .update(upload?.bytes ?? Buffer.alloc(0))
        .digest('hex'),
    ).toBe(big.sha256);
    expect(textOf(message)).toContain(
      `Preview: first 10 rows of ${big.rows.toLocaleString('en-US')}`,
    );
  }, 60_000);

  it.each([
    [false, 'spooled'],
    [true, 'direct'],
  ])(
    'reports a result stream that breaks half-way (%s → %s) and shares nothing',
    async (withLength) => {
      t.alation.knobs.csvContentLength = withLength;
      let calls = 0;
      const { query } = seed({
        csv: function* () {
          // The first pass (measuring the length) completes; the served one breaks.
          const measuring = withLength && calls++ === 0;
          yield 'a,b\n';
          yield `${'1,2\n'.repeat(50_000)}`;
          if (!measuring) throw new Error('connection lost');
          yield '3,4\n';
        },
      });
      const { responseUrl } = await result(String(query.id));
      const text = textOf(await nextResponse(t, responseUrl));
      expect(text).toMatch(/Could not share the latest result of query \d+/);
      expect(text).not.toContain('Invite me');
      expect(t.slack.callsTo('files.completeUploadExternal')).toEqual([]);
    },
  );

  it('answers in a thread with --thread, from a ts or a message link', async () => {
    const { query } = seed();
    await result(`${query.id} --thread 1700000000.123456`);
    const { complete } = await shared();
    expect(complete?.args.thread_ts).toBe('1700000000.123456');
    await result(
      `${query.id} --thread https://acme.slack.com/archives/C0CHAN0001/p1700000001654321`,
    );
    const completes = await t.slack.waitFor('files.completeUploadExternal', { count: 2 });
    expect(completes[1]?.args.thread_ts).toBe('1700000001.654321');
  });

  it.each([
    [
      'a preview-only export',
      { storageStatus: 'STORED_PREVIEW' as const, rowCount: 1000 },
      'Preview only',
    ],
    [
      'a truncated result',
      { truncated: true, storageStatus: 'STORED_PART' as const },
      'Partial result',
    ],
  ])('notes %s on the shared message', async (_case, seedResult, note) => {
    const { query } = seed(seedResult);
    await result(String(query.id));
    expect(textOf((await shared()).message)).toContain(note);
  });

  it.each([
    [
      'expired',
      { expired: true, tsExpiration: new Date('2026-11-01T10:00:00Z') },
      /has expired \(on Sun 1 Nov 2026, 11:00 UTC\+01:00\)/,
    ],
    [
      'failed',
      { executionError: 'relation "sales" does not exist', csv: '' },
      /latest run of .* failed .*\n```relation "sales" does not exist```/s,
    ],
    ['canceled', { canceled: true, csv: '' }, /was canceled before it finished/],
    [
      'still running',
      { finished: false, finishedAt: null, storageStatus: 'IN_PROGRESS' as const },
      /is still running \(started 2 hours ago/,
    ],
  ])(
    'tells the asker privately when the latest result is %s, and attaches nothing',
    async (_case, seedResult, message) => {
      const { query } = seed(seedResult);
      const { responseUrl } = await result(String(query.id));
      const reply = await nextResponse(t, responseUrl);
      expect(reply.response_type).toBe('ephemeral');
      expect(textOf(reply)).toMatch(message);
      expect(t.slack.callsTo('files.getUploadURLExternal')).toEqual([]);
    },
  );

  it('says when the query has no result yet (Alation’s 404) and links to Compose', async () => {
    const query = t.alation.addQuery({ datasourceId, title: 'Never run', content: 'SELECT 1' });
    const { responseUrl } = await result(String(query.id));
    const text = textOf(await nextResponse(t, responseUrl));
    expect(text).toContain('has no result you can see yet');
    expect(text).toContain(`${t.alation.url}/compose/query/${query.id}/|Run it in Compose`);
  });

  it('says so when the query does not exist', async () => {
    const { responseUrl } = await result('4040');
    expect(textOf(await nextResponse(t, responseUrl))).toMatch(
      /Could not share the latest result of query 4040/,
    );
  });

  it('asks to be invited when it cannot post in the channel', async () => {
    const { query } = seed();
    t.slack.fault({ path: '/api/files.completeUploadExternal', error: 'not_in_channel' });
    const { responseUrl } = await result(String(query.id));
    expect(textOf(await nextResponse(t, responseUrl))).toContain('Invite me (`/invite @Alation`)');
  });

  it.each([
    ['', 'Which query?'],
    ['x', '`x` is not a query id'],
    ['5 --thread yesterday', '`yesterday` is not a message timestamp'],
  ])('explains bad arguments %j in the ack', async (args, message) => {
    const { ack } = await result(args);
    expect(textOf(ack.body)).toContain(message);
    expect(t.alation.requests).toEqual([]);
  });

  it('shares from the Latest result button too', async () => {
    const { query } = seed();
    await blockAction(t.target, {
      actions: [{ action_id: 'query_latest_result', value: String(query.id) }],
      response_url: t.slack.responseUrl(),
    });
    const { upload } = await shared();
    expect(upload?.bytes?.toString('utf8')).toBe(CSV);
  });

  describe('the “Share latest result here” message shortcut', () => {
    it.each([
      ['a top-level message', { ts: '1700000000.000100' }, '1700000000.000100'],
      ['a reply', { ts: '1700000000.000200', thread_ts: '1700000000.000100' }, '1700000000.000100'],
    ])('answers in the thread of %s that links to a query', async (_case, at, thread) => {
      const { query } = seed();
      const ack = await messageAction(t.target, {
        callback_id: 'share_latest_result',
        message: { ...at, text: `numbers? <${t.alation.url}/compose/query/${query.id}/|this one>` },
        response_url: t.slack.responseUrl(),
      });
      expect(ack.status).toBe(200);
      const { complete, upload } = await shared();
      expect(complete?.args.thread_ts).toBe(thread);
      expect(upload?.bytes?.toString('utf8')).toBe(CSV);
    });

    it('explains a message without a query link', async () => {
      const responseUrl = t.slack.responseUrl();
      await messageAction(t.target, {
        callback_id: 'share_latest_result',
        message: { ts: '1700000000.000100', text: 'see https://example.com/query/5/' },
        response_url: responseUrl,
      });
      expect(textOf(await nextResponse(t, responseUrl))).toContain(
        'has no link to an Alation query',
      );
      expect(t.alation.requests).toEqual([]);
    });
  });
});
