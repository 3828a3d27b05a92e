import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blockAction, slashCommand } from '../driver.ts';
import { SLACK_DEFAULTS } from '../emulators/slack.ts';
import { DEFAULT_OWNER, startTestBot, type TestBot } from '../support/bot.ts';
import { textOf } from '../support/flows.ts';
import { nextResponse } from '../support/respond.ts';

let t: TestBot;
let warehouse: number;
beforeEach(async () => {
  t = await startTestBot();
  warehouse = t.alation.addDataSource({ title: 'Warehouse' }).id;
  await t.connectAlation(DEFAULT_OWNER, 7);
});
afterEach(() => t.stop());

type Json = Record<string, unknown>;
const HOUR = 3600_000;

async function command(text: string, extra: Parameters<typeof slashCommand>[1] = {}) {
  const responseUrl = t.slack.responseUrl();
  const ack = await slashCommand(t.target, { text, response_url: responseUrl, ...extra });
  expect(ack.status).toBe(200);
  return { ack, reply: () => nextResponse(t, responseUrl) };
}

async function click(actionId: string, value: string) {
  const responseUrl = t.slack.responseUrl();
  const ack = await blockAction(t.target, {
    actions: [{ action_id: actionId, value }],
    response_url: responseUrl,
    is_ephemeral: true,
  });
  expect(ack.status).toBe(200);
  return { reply: (count = 1) => nextResponse(t, responseUrl, count), responseUrl };
}

const buttonsOf = (message: Json) =>
  (message.blocks as Json[]).flatMap((b) => (b.type === 'actions' ? (b.elements as Json[]) : []));

function seedScheduled() {
  const now = Date.now();
  const query = t.alation.addQuery({
    datasourceId: warehouse,
    title: 'Daily revenue',
    description: 'Revenue per region, refreshed every weekday.',
    content: 'SELECT region, sum(amount)\nFROM sales\nGROUP BY 1',
    tsLastSaved: new Date(now - 3 * HOUR),
    schedules: [
      {
        cronExpression: '0 9 * * 1-5',
        overdue: true,
        tsLastAttempt: new Date(now - 26 * HOUR),
        tsNextRun: new Date(now - 2 * HOUR),
      },
      { cronExpression: '*/15 * * * *', enabled: false },
    ],
  });
  t.alation.addScheduledRun({
    queryId: query.id,
    tsSentToBroker: new Date(now - 26 * HOUR),
    tsPrerun: new Date(now - 26 * HOUR + 1000),
    tsPostrun: new Date(now - 26 * HOUR + 5000),
  });
  return query;
}

describe('/alation query <id>', () => {
  it('shows the details card privately, schedules in words, overdue and times in the user’s zone', async () => {
    const query = seedScheduled();
    const { reply } = await command(`query ${query.id}`);
    const card = await reply();
    expect(card.response_type).toBe('ephemeral');
    const text = textOf(card);
    expect(text).toContain('Daily revenue');
    expect(text).toContain('Revenue per region, refreshed every weekday.');
    expect(text).toContain(`Warehouse (id ${warehouse})`);
    expect(text).toContain('Saved, published');
    expect(text).toMatch(
      /Last saved\*\n3 hours ago \(\w{3} \d+ \w{3} \d{4}, \d\d:\d\d UTC\+0[12]:00\)/,
    );
    expect(text).toContain('*Every weekday at 09:00* :warning: *overdue*');
    expect(text).toMatch(/Next run 2 hours ago/);
    expect(text).toMatch(/Last attempt 1 day ago/);
    expect(text).toContain('*Every 15 minutes* (paused)');
    expect(text).toContain('Recent scheduled runs');
    expect(text).toMatch(/1 day ago .*: finished/);
    expect(text).toContain('```SELECT region, sum(amount)\nFROM sales\nGROUP BY 1```');
    expect(buttonsOf(card).map((b) => [b.action_id, b.value ?? b.url])).toEqual([
      ['query_latest_result', String(query.id)],
      ['query_run_history', String(query.id)],
      ['query_sql', String(query.id)],
      ['query_flag', String(query.id)],
      ['query_open_compose', `${t.alation.url}/compose/query/${query.id}/`],
      ['query_open_catalog', `${t.alation.url}/query/${query.id}/`],
    ]);

    const [details] = t.alation.requestsTo('GET', `/integration/v1/query/${query.id}/`);
    expect(details?.userId).toBe(7);
    const [runs] = t.alation.requestsTo('GET', `/integration/v1/query/${query.id}/scheduled_run/`);
    expect(runs?.userId).toBe(7);
    expect(runs?.query.get('ts_sent_to_broker__gte')).toMatch(/^\d{4}-\d\d-\d\dT/);
    const [tz] = t.slack.callsTo('users.info');
    expect(tz?.args.user).toBe(SLACK_DEFAULTS.userId);
  });

  it('accepts a pasted query link and skips scheduled runs for an unscheduled query', async () => {
    const query = t.alation.addQuery({
      datasourceId: warehouse,
      title: 'Plain',
      content: 'SELECT 1',
    });
    const { reply } = await command(`query ${t.alation.url}/query/${query.id}/`);
    const text = textOf(await reply());
    expect(text).toContain('Not scheduled.');
    expect(text).toContain('_No description._');
    expect(t.alation.requestsTo('GET', /scheduled_run/)).toEqual([]);
  });

  it('posts the SQL to the channel from the SQL button', async () => {
    const query = seedScheduled();
    const { reply } = await click('query_sql', String(query.id));
    const post = await reply();
    expect(post.response_type).toBe('in_channel');
    expect(textOf(post)).toContain('```SELECT region, sum(amount)\nFROM sales\nGROUP BY 1```');
    expect(t.alation.requestsTo('GET', `/integration/v1/query/${query.id}/sql/`)[0]?.userId).toBe(
      7,
    );
  });

  it('shows the run history privately from the Run history button', async () => {
    const query = seedScheduled();
    t.alation.addExecutionEvent(query.id, { executionError: 'relation "sales" does not exist' });
    const { reply } = await click('query_run_history', String(query.id));
    const post = await reply();
    expect(post.response_type).toBe('ephemeral');
    expect(textOf(post)).toContain(`Recent runs of query ${query.id}`);
    expect(textOf(post)).toContain('relation "sales" does not exist');
    const [events] = t.alation.requestsTo(
      'GET',
      `/integration/v1/query/${query.id}/execution_event/`,
    );
    expect(events?.userId).toBe(7);
  });

  it('opens the card from a Show button', async () => {
    const query = seedScheduled();
    const { reply } = await click('query_show', String(query.id));
    expect(textOf(await reply())).toContain('Every weekday at 09:00');
  });

  it('says clearly when the query does not exist', async () => {
    const { reply } = await command('query 4242');
    const body = await reply();
    expect(body.response_type).toBe('ephemeral');
    expect(textOf(body)).toContain('Could not get query 4242. Alation could not find that.');
  });

  it('says Alation returned something unexpected on a schema mismatch, and logs the path', async () => {
    const query = seedScheduled();
    t.alation.fault({
      path: `/integration/v1/query/${query.id}/`,
      status: 200,
      body: { id: 'not a number' },
    });
    const { reply } = await command(`query ${query.id}`);
    expect(textOf(await reply())).toContain('Alation returned something unexpected');
    const logged = t.logs().find((l) => l.msg === `could not get query ${query.id}`);
    expect(logged?.upstream).toMatchObject({
      path: `/integration/v1/query/${query.id}/`,
      reason: 'schema_mismatch',
    });
  });

  it('asks a user who has not connected to connect', async () => {
    const query = seedScheduled();
    const { reply } = await command(`query ${query.id}`, { user_id: 'U0NOBODY01' });
    const body = await reply();
    expect(textOf(body)).toContain('Connect your Alation account first');
    expect(buttonsOf(body)[0]).toMatchObject({ action_id: 'alation_connect' });
    expect(t.alation.requests).toEqual([]);
  });

  it.each([
    ['query', 'Which query?'],
    ['query abc', '`abc` is not a query id'],
    ['query search', 'What should I look for?'],
  ])('explains %j right in the ack', async (text, message) => {
    const { ack } = await command(text);
    expect(ack.body).toMatchObject({ response_type: 'ephemeral' });
    expect(textOf(ack.body)).toContain(message);
    expect(t.alation.requests).toEqual([]);
  });
});

describe('/alation query search', () => {
  /** 25 queries match "revenue" in the title or the SQL (one in both), 5 do not. */
  function seedMany(): number[] {
    const matching: number[] = [];
    for (let i = 1; i <= 30; i++) {
      const inTitle = i % 2 === 0 && i <= 24;
      const inSql = (i % 2 === 1 && i <= 25) || i === 2;
      const q = t.alation.addQuery({
        datasourceId: warehouse,
        title: inTitle ? `Revenue report ${i}` : `Report ${i}`,
        content: inSql ? `SELECT sum(REVENUE) FROM t${i}` : `SELECT ${i}`,
      });
      if (inTitle || inSql) matching.push(q.id);
    }
    return matching;
  }

  const idsIn = (message: Json) =>
    buttonsOf(message)
      .filter((b) => b.action_id === 'query_show')
      .map((b) => Number(b.value));

  it('pages title-or-SQL matches ten at a time with More, stateless across pages', async () => {
    const matching = seedMany();
    expect(matching).toHaveLength(25);
    const { reply } = await command('query search revenue');
    const first = await reply();
    expect(first.response_type).toBe('ephemeral');
    expect(idsIn(first)).toEqual(matching.slice(0, 10));
    expect(textOf(first)).toContain('Warehouse');
    const rowButtons = buttonsOf(first).filter((b) => b.value === String(matching[0]));
    expect(rowButtons.map((b) => b.action_id)).toEqual(['query_show', 'query_latest_result']);
    const more1 = buttonsOf(first).find((b) => b.action_id === 'query_search_more');
    expect(String(more1?.value).length).toBeLessThan(2000);

    const page2 = await (await click('query_search_more', String(more1?.value))).reply();
    expect(idsIn(page2)).toEqual(matching.slice(10, 20));
    expect(textOf(page2)).toContain('(11–20, more below)');
    const more2 = buttonsOf(page2).find((b) => b.action_id === 'query_search_more');

    const page3 = await (await click('query_search_more', String(more2?.value))).reply();
    expect(idsIn(page3)).toEqual(matching.slice(20));
    expect(buttonsOf(page3).some((b) => b.action_id === 'query_search_more')).toBe(false);

    const lists = t.alation.requestsTo('GET', '/integration/v1/query/');
    expect(lists).toHaveLength(6);
    for (const r of lists) {
      expect(r.userId).toBe(7);
      expect(r.query.get('order_by')).toBe('id');
      expect(r.query.get('limit')).toBe('10');
    }
    expect(
      lists.map((r) => [...r.query.keys()].find((k) => k.endsWith('__icontains'))).sort(),
    ).toEqual([
      'content__icontains',
      'content__icontains',
      'content__icontains',
      'title__icontains',
      'title__icontains',
      'title__icontains',
    ]);
    expect(lists.slice(0, 2).every((r) => r.query.get('id__gt') === null)).toBe(true);
    expect(lists.slice(2, 4).map((r) => r.query.get('id__gt'))).toEqual([
      String(matching[9]),
      String(matching[9]),
    ]);
  });

  it('says no queries match, with a hint', async () => {
    seedMany();
    const { reply } = await command('query search nothing-like-this');
    const text = textOf(await reply());
    expect(text).toContain('No queries match “nothing-like-this” in their title or SQL');
    expect(text).toContain('Try a shorter or different word');
  });

  it('reports an Alation outage clearly', async () => {
    t.alation.fault({ path: '/integration/v1/query/', html: true, status: 503, times: Infinity });
    const { reply } = await command('query search revenue');
    const text = textOf(await reply());
    expect(text).toMatch(
      /Could not search the queries\. Alation answered with an HTML page \(status 503\)/,
    );
    expect(text).not.toMatch(/<html/i);
  });
});
