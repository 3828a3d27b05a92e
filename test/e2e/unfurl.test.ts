import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { event } from '../driver.ts';
import { SLACK_DEFAULTS } from '../emulators/slack.ts';
import { DEFAULT_OWNER, startTestBot, type TestBot } from '../support/bot.ts';
import { textOf } from '../support/flows.ts';

type Json = Record<string, unknown>;
let t: TestBot;
let warehouse: number;

beforeEach(async () => {
  t = await startTestBot();
  warehouse = t.alation.addDataSource({ title: 'Warehouse' }).id;
});
afterEach(() => t.stop());

let seq = 0;
function paste(urls: string[], user = DEFAULT_OWNER.userId) {
  seq += 1;
  return event(t.target, {
    event: {
      type: 'link_shared',
      channel: SLACK_DEFAULTS.channelId,
      user,
      message_ts: `1700000000.${String(seq).padStart(6, '0')}`,
      unfurl_id: `Uf${seq}`,
      source: 'conversations_history',
      is_bot_user_member: true,
      links: urls.map((url) => ({ url, domain: new URL(url).hostname })),
    },
  });
}

const unfurlsOf = async (count = 1) => {
  const calls = await t.slack.waitFor('chat.unfurl', { count });
  return calls[count - 1]?.args.unfurls as Record<string, Json>;
};

const dataRequests = () =>
  t.alation.requests.filter(
    (r) =>
      !r.path.includes('/createAPIAccessToken/') && !r.path.includes('/validateAPIAccessToken/'),
  );

describe('link unfurls', () => {
  it('unfurls each kind of catalog URL with its trust badges, as the poster', async () => {
    await t.connectAlation(DEFAULT_OWNER, 7);
    t.alation.addUser({ id: 8, name: 'Ann Steward' });
    const query = t.alation.addQuery({
      datasourceId: warehouse,
      title: 'Revenue by region',
      description: 'Quarterly <numbers>',
      content: 'SELECT 1',
    });
    const flag = (
      otype: string,
      id: number,
      flagType: 'ENDORSEMENT' | 'WARNING' | 'DEPRECATION',
      reason = '',
    ) => t.alation.addFlag({ flagType, reason, subject: { otype, id }, userId: 8 });
    flag('query', query.id, 'ENDORSEMENT');
    flag('table', 12, 'DEPRECATION', 'use orders_v2');
    flag('data', warehouse, 'WARNING', 'nightly load is late');
    flag('schema', 4, 'ENDORSEMENT');
    flag('attribute', 99, 'WARNING', 'PII');
    const base = t.alation.url;
    const urls = [
      `${base}/query/${query.id}/`,
      `${base}/table/12/`,
      `${base}/data/${warehouse}/`,
      `${base}/schema/4/`,
      `${base}/attribute/99/`,
    ];
    await paste(urls);
    const unfurls = await unfurlsOf();
    const [call] = t.slack.callsTo('chat.unfurl');
    expect(call?.args.channel).toBe(SLACK_DEFAULTS.channelId);
    expect(call?.args.ts).toBe(`1700000000.${String(seq).padStart(6, '0')}`);
    expect(Object.keys(unfurls)).toEqual(urls);

    const q = textOf(unfurls[urls[0] as string]);
    expect(q).toContain(`*<${urls[0]}|Revenue by region>* · query ${query.id}`);
    expect(q).toContain('Data source: Warehouse');
    expect(q).toContain('Quarterly &lt;numbers&gt;');
    expect(q).toContain(':white_check_mark: *Endorsed* by Ann Steward');

    expect(textOf(unfurls[urls[1] as string])).toContain(`*<${urls[1]}|Table 12>*`);
    expect(textOf(unfurls[urls[1] as string])).toContain(
      ':no_entry: *Deprecated* by Ann Steward: use orders_v2',
    );
    expect(textOf(unfurls[urls[2] as string])).toContain(`Data source ${warehouse}`);
    expect(textOf(unfurls[urls[2] as string])).toContain(
      ':warning: *Warning* by Ann Steward: nightly load is late',
    );
    expect(textOf(unfurls[urls[3] as string])).toContain('Schema 4');
    expect(textOf(unfurls[urls[3] as string])).toContain('*Endorsed*');
    expect(textOf(unfurls[urls[4] as string])).toContain('Column 99');
    expect(textOf(unfurls[urls[4] as string])).toContain(':warning: *Warning* by Ann Steward: PII');

    const flagLists = dataRequests().filter((r) => r.path === '/integration/flag/');
    expect(flagLists.map((r) => `${r.query.get('otype')} ${r.query.get('oid')}`).sort()).toEqual(
      ['attribute 99', `data ${warehouse}`, `query ${query.id}`, 'schema 4', 'table 12'].sort(),
    );
    for (const r of dataRequests()) expect(r.userId).toBe(7);
  });

  it('treats /compose/query/<id>/ as the query and ignores other hosts and pages', async () => {
    await t.connectAlation(DEFAULT_OWNER, 7);
    const query = t.alation.addQuery({
      datasourceId: warehouse,
      title: 'Churn',
      content: 'SELECT 2',
    });
    const compose = `${t.alation.url}/compose/query/${query.id}/`;
    await paste([compose, 'https://elsewhere.example.com/table/1/', `${t.alation.url}/user/3/`]);
    const unfurls = await unfurlsOf();
    expect(Object.keys(unfurls)).toEqual([compose]);
    expect(textOf(unfurls[compose])).toContain('Churn');
    expect(textOf(unfurls[compose])).toContain('No trust flags.');
  });

  it('makes no unfurl for a poster who is not connected and offers them alone to connect', async () => {
    await paste([`${t.alation.url}/table/12/`]);
    const [ephemeral] = await t.slack.waitUntil(() =>
      t.slack.ephemerals.length > 0 ? t.slack.ephemerals : undefined,
    );
    expect(ephemeral?.user).toBe(DEFAULT_OWNER.userId);
    expect(ephemeral?.channel).toBe(SLACK_DEFAULTS.channelId);
    expect(textOf(ephemeral)).toContain('Connect your Alation account first');
    expect(JSON.stringify(ephemeral?.blocks)).toContain('"action_id":"alation_connect"');
    expect(t.slack.callsTo('chat.unfurl')).toHaveLength(0);
    expect(t.alation.requests).toHaveLength(0);
  });

  it('reuses the card when the same link is pasted again within a minute', async () => {
    await t.connectAlation(DEFAULT_OWNER, 7);
    const url = `${t.alation.url}/table/12/`;
    t.alation.addFlag({
      flagType: 'WARNING',
      reason: 'stale',
      subject: { otype: 'table', id: 12 },
      userId: 7,
    });
    await paste([url]);
    const first = await unfurlsOf(1);
    const asked = dataRequests().length;
    expect(asked).toBe(1);
    await paste([url]);
    const second = await unfurlsOf(2);
    expect(second).toEqual(first);
    expect(dataRequests()).toHaveLength(1);
  });

  it('reads the card again for another poster, with their own access, and says whose', async () => {
    await t.connectAlation(DEFAULT_OWNER, 7);
    const bob = { tenantId: DEFAULT_OWNER.tenantId, userId: 'U0BOB00001' };
    t.slack.addUser({ id: bob.userId, name: 'bob' });
    await t.connectAlation(bob, 9);
    const url = `${t.alation.url}/table/12/`;
    await paste([url]);
    const first = await unfurlsOf(1);
    // Named, not mentioned: a mention would notify the poster.
    expect(textOf(first[url])).toContain('As seen by alice in Alation.');
    await paste([url], bob.userId);
    const second = await unfurlsOf(2);
    // Not Ada's card from the cache: Bob's own read, named as his.
    expect(dataRequests().map((r) => r.userId)).toEqual([7, 9]);
    expect(textOf(second[url])).toContain('As seen by bob in Alation.');
  });
});
