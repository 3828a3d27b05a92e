import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { slashCommand } from '../driver.ts';
import { SLACK_DEFAULTS } from '../emulators/slack.ts';
import { DEFAULT_OWNER, startTestBot, type TestBot } from '../support/bot.ts';
import { textOf } from '../support/flows.ts';
import { nextResponse } from '../support/respond.ts';

let t: TestBot;
let datasourceId: number;
beforeEach(async () => {
  t = await startTestBot();
  datasourceId = t.alation.addDataSource({ title: 'Warehouse' }).id;
  await t.connectAlation(DEFAULT_OWNER, 7);
});
afterEach(() => t.stop());

async function sql(args: string) {
  const responseUrl = t.slack.responseUrl();
  const ack = await slashCommand(t.target, { text: `sql ${args}`, response_url: responseUrl });
  return { ack, reply: () => nextResponse(t, responseUrl) };
}

describe('/alation sql', () => {
  it.each([
    ['', 'Which query? Give its id'],
    ['abc', '`abc` is not a query id'],
    ['0', '`0` is not a query id'],
  ])('explains a bad argument %j right in the ack', async (args, message) => {
    const { ack } = await sql(args);
    expect(ack.body).toMatchObject({ response_type: 'ephemeral' });
    expect(textOf(ack.body)).toContain(message);
    expect(t.alation.requests).toEqual([]);
  });

  it('accepts a pasted Alation query link', async () => {
    const query = t.alation.addQuery({ datasourceId, content: 'SELECT 42' });
    const { reply } = await sql(`${t.alation.url}/query/${query.id}/`);
    expect(textOf(await reply())).toContain('```SELECT 42```');
  });

  it('attaches long SQL as a .sql file in the channel', async () => {
    const long = Array.from(
      { length: 200 },
      (_, i) => `SELECT ${i} AS n, 'row ${i}' AS label UNION ALL`,
    ).join('\n');
    const query = t.alation.addQuery({ datasourceId, content: long });
    await sql(String(query.id));
    const [complete] = await t.slack.waitFor('files.completeUploadExternal');
    expect(complete?.args.channel_id).toBe(SLACK_DEFAULTS.channelId);
    const [upload] = [...t.slack.uploads.values()];
    expect(upload?.filename).toBe(`query-${query.id}.sql`);
    expect(upload?.bytes?.toString('utf8')).toBe(long);
    expect(upload?.completed?.initial_comment).toContain('200 lines');
  });

  it('says how to fix it when the file cannot be shared in the channel', async () => {
    const query = t.alation.addQuery({ datasourceId, content: 'SELECT 1\n'.repeat(500) });
    t.slack.fault({ path: '/api/files.completeUploadExternal', error: 'not_in_channel' });
    const { reply } = await sql(String(query.id));
    const text = textOf(await reply());
    expect(text).toContain('Invite me to this channel');
    expect(text).toContain(`/query/${query.id}/`);
  });

  it.each([
    ['a query that does not exist', undefined, /Could not get the SQL of query 999/],
    [
      'an HTML maintenance page',
      { html: true as const, status: 503 },
      /HTML page \(status 503\).*If it keeps happening/,
    ],
    ['a server error', { status: 500, body: { detail: 'boom' } }, /Try again in a minute/],
    ['a timeout', { hang: true as const }, /Try again in a minute/],
  ])('gives a clear message for %s', async (_case, fault, message) => {
    const id = 999;
    if (fault) {
      t.alation.addQuery({ id, datasourceId, content: 'SELECT 1' });
      t.alation.fault({ path: `/integration/v1/query/${id}/sql/`, times: Infinity, ...fault });
    }
    const { reply } = await sql(String(id));
    const body = await reply();
    expect(body.response_type).toBe('ephemeral');
    expect(textOf(body)).toMatch(message);
    expect(textOf(body)).not.toMatch(/<html|\n\s+at /i);
  });

  it('waits out a 429 and still answers', async () => {
    const query = t.alation.addQuery({ datasourceId, content: 'SELECT 7' });
    t.alation.fault({ path: `/integration/v1/query/${query.id}/sql/`, status: 429, retryAfter: 1 });
    const { reply } = await sql(String(query.id));
    expect(textOf(await reply())).toContain('```SELECT 7```');
    expect(t.alation.requestsTo('GET', `/integration/v1/query/${query.id}/sql/`)).toHaveLength(2);
  });
});
