import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blockAction, slashCommand } from '../driver.ts';
import { DEFAULT_OWNER, startTestBot, type TestBot } from '../support/bot.ts';
import { textOf } from '../support/flows.ts';
import { nextResponse } from '../support/respond.ts';

let t: TestBot;
let queryId: number;
beforeEach(async () => {
  t = await startTestBot();
  const ds = t.alation.addDataSource({ title: 'Warehouse' }).id;
  queryId = t.alation.addQuery({ datasourceId: ds, title: 'Daily revenue' }).id;
  await t.connectAlation(DEFAULT_OWNER, 7);
});
afterEach(() => t.stop());

type Json = Record<string, unknown>;
const MINUTE = 60_000;

async function runs(args: string, extra: Parameters<typeof slashCommand>[1] = {}) {
  const responseUrl = t.slack.responseUrl();
  const ack = await slashCommand(t.target, {
    text: `runs ${args}`,
    response_url: responseUrl,
    ...extra,
  });
  expect(ack.status).toBe(200);
  return { ack, reply: () => nextResponse(t, responseUrl) };
}

async function more(value: string) {
  const responseUrl = t.slack.responseUrl();
  await blockAction(t.target, {
    actions: [{ action_id: 'query_runs_more', value }],
    response_url: responseUrl,
    is_ephemeral: true,
  });
  return nextResponse(t, responseUrl);
}

const moreValue = (message: Json) =>
  (message.blocks as Json[])
    .flatMap((b) => (b.type === 'actions' ? (b.elements as Json[]) : []))
    .find((b) => b.action_id === 'query_runs_more')?.value as string | undefined;

/** Run sections after the header, each starting with its status. */
const runSections = (message: Json) =>
  (message.blocks as Json[])
    .filter((b) => b.type === 'section')
    .slice(1)
    .map((b) => String((b.text as Json).text));

/**
 * 23 runs, seeded out of time order so the bot has to sort: minute offsets from now, every
 * third one failed, every fourth one scheduled.
 */
function seedRuns() {
  const now = Date.now();
  const order = Array.from({ length: 23 }, (_, i) => (i * 7) % 23); // a permutation of 0..22
  for (const minutesAgo of order) {
    const at = new Date(now - (minutesAgo + 1) * MINUTE);
    const failed = minutesAgo % 3 === 0;
    const scheduled = minutesAgo % 4 === 0;
    if (failed) {
      t.alation.addExecutionEvent(queryId, {
        executedAt: at,
        executionError: `boom ${minutesAgo}`,
        secondsTaken: 1.5,
        scheduled,
      });
    } else {
      t.alation.addResult(queryId, {
        executedAt: at,
        csv: 'a\n1\n2\n3\n',
        secondsTaken: 12.4,
        scheduled,
      });
    }
  }
}

describe('/alation runs', () => {
  it('lists runs newest first with status, rows, seconds, errors, when and how, paged with More', async () => {
    seedRuns();
    const { reply } = await runs(String(queryId));
    const first = await reply();
    expect(first.response_type).toBe('ephemeral');
    const rows = runSections(first);
    expect(rows).toHaveLength(10);
    expect(rows[0]).toMatch(
      /^\*:x: Failed\* 1 minute ago \(.*UTC\+0[12]:00\)\nscheduled {2}· {2}1\.50 s {2}· {2}Warehouse\n```boom 0```$/,
    );
    expect(rows[1]).toMatch(
      /^\*:white_check_mark: Succeeded\* 2 minutes ago .*\nmanual {2}· {2}3 rows {2}· {2}12 s {2}· {2}Warehouse$/,
    );
    expect(rows[4]).toMatch(/5 minutes ago[^\n]*\nscheduled/);
    expect(textOf(first)).toContain(`Recent runs of query ${queryId}, newest first`);

    const second = await more(String(moreValue(first)));
    expect(runSections(second).map((r) => /(\d+) minutes? ago/.exec(r)?.[1])).toEqual([
      '11',
      '12',
      '13',
      '14',
      '15',
      '16',
      '17',
      '18',
      '19',
      '20',
    ]);
    expect(textOf(second)).toContain('Older runs');
    const third = await more(String(moreValue(second)));
    expect(runSections(third)).toHaveLength(3);
    expect(moreValue(third)).toBeUndefined();

    const events = t.alation.requestsTo('GET', `/integration/v1/query/${queryId}/execution_event/`);
    expect(events).toHaveLength(3);
    expect(events.every((r) => r.userId === 7)).toBe(true);
    expect(events[0]?.query.get('ts_executed__lte')).toBeNull();
    expect(events[1]?.query.get('ts_executed__lte')).toMatch(/^\d{4}-.*Z$/);
    const sessions = t.alation.requestsTo(
      'GET',
      `/integration/v1/query/${queryId}/execution_session/`,
    );
    expect(sessions[0]?.query.get('is_scheduled')).toBe('true');
    expect(sessions[0]?.query.get('id__gte')).toMatch(/^\d+$/);
  });

  it('shows only failures with --failed', async () => {
    seedRuns();
    const { reply } = await runs(`--failed ${queryId}`);
    const first = await reply();
    const rows = runSections(first);
    expect(rows).toHaveLength(8);
    expect(rows.every((r) => r.startsWith('*:x: Failed*'))).toBe(true);
    expect(moreValue(first)).toBeUndefined();
    expect(textOf(first)).toContain(`Recent failed runs of query ${queryId}`);
    const [request] = t.alation.requestsTo(
      'GET',
      `/integration/v1/query/${queryId}/execution_event/`,
    );
    expect(request?.query.get('execution_error__isnull')).toBe('false');
  });

  it('keeps --failed across pages', async () => {
    for (let i = 0; i < 12; i++) {
      t.alation.addExecutionEvent(queryId, {
        executedAt: new Date(Date.now() - (i + 1) * MINUTE),
        executionError: `error ${i}`,
      });
    }
    t.alation.addExecutionEvent(queryId, { executedAt: new Date(Date.now() - 30 * MINUTE) });
    const { reply } = await runs(`${queryId} --failed`);
    const second = await more(String(moreValue(await reply())));
    expect(runSections(second).map((r) => /```(.*)```/.exec(r)?.[1])).toEqual([
      'error 10',
      'error 11',
    ]);
    const requests = t.alation.requestsTo(
      'GET',
      `/integration/v1/query/${queryId}/execution_event/`,
    );
    expect(requests[1]?.query.get('execution_error__isnull')).toBe('false');
  });

  it('says when there are no failures', async () => {
    t.alation.addExecutionEvent(queryId, {});
    const { reply } = await runs(`${queryId} --failed`);
    expect(textOf(await reply())).toContain(
      `Query ${queryId} has no failed runs that you can see.`,
    );
  });

  it.each([
    ['', 'Which query?'],
    ['abc', '`abc` is not a query id'],
    ['42 --all', '`--all` is not an option here'],
  ])('explains %j right in the ack', async (args, message) => {
    const { ack } = await runs(args);
    expect(textOf(ack.body)).toContain(message);
    expect(t.alation.requests).toEqual([]);
  });

  it('says clearly when the query does not exist', async () => {
    const { reply } = await runs('999');
    expect(textOf(await reply())).toContain(
      'Could not get the runs of query 999. Alation could not find that.',
    );
  });

  it('reports an HTML 503 clearly', async () => {
    t.alation.fault({ path: /execution_event/, html: true, status: 503, times: Infinity });
    const { reply } = await runs(String(queryId));
    const text = textOf(await reply());
    expect(text).toMatch(/HTML page \(status 503\)/);
    expect(text).not.toMatch(/<html|\n\s+at /i);
  });

  it('asks a user who has not connected to connect', async () => {
    const { reply } = await runs(String(queryId), { user_id: 'U0NOBODY01' });
    expect(textOf(await reply())).toContain('Connect your Alation account first');
    expect(t.alation.requests).toEqual([]);
  });

  it('answers a More button whose value was tampered with', async () => {
    const reply = await more('{"q":"x"}');
    expect(textOf(reply)).toContain('That button no longer works');
    expect(t.alation.requests).toEqual([]);
  });
});
