// Issue 18 for announcements: a new query's announcement and a flag on a query show the query's
// title (and SQL, or the flag's reason) to every member of the channel, so each member who has
// connected Alation is asked as themselves first, like a shared result.
import { afterEach, describe, expect, it } from 'vitest';
import type { AudienceConfig } from '../../src/config.ts';
import { slashCommand, viewSubmission } from '../driver.ts';
import { ADA, BOB, clickIn, SALES, SHARER, seedSales } from '../support/audience.ts';
import { startTestBot, type TestBot } from '../support/bot.ts';
import { textOf } from '../support/flows.ts';
import { nextResponse } from '../support/respond.ts';

type Json = Record<string, unknown>;
let t: TestBot;
afterEach(() => t.stop());

const COUNTS = (queryId: number) =>
  `1 of 4 members of <#${SALES}> cannot see query ${queryId} in Alation, 1 has not connected.`;

async function start(audience?: AudienceConfig) {
  t = await startTestBot(audience ? { audience } : {});
  await seedSales(t, { adaIsAdmin: true });
  return t.alation.addDataSource({ title: 'Warehouse' }).id;
}

/** `/alation <text>` in #sales → the modal it opened and the command's response_url. */
async function openModal(text: string) {
  const opened = t.slack.callsTo('views.open').length;
  const responseUrl = t.slack.responseUrl();
  await slashCommand(t.target, {
    text,
    channel_id: SALES,
    channel_name: 'sales',
    response_url: responseUrl,
  });
  const [call] = (await t.slack.waitFor('views.open', { count: opened + 1 })).slice(-1);
  const view = (call?.response as { view?: Json & { id: string } } | undefined)?.view;
  if (!view) throw new Error('views.open returned no view');
  return { view, responseUrl };
}

const input = (value: string | null) => ({ value: { type: 'plain_text_input', value } });

/** A new unpublished query by the sharer (user 7): Ada (admin) can see it, Bob cannot. */
async function createQuery(datasourceId: number) {
  const { view, responseUrl } = await openModal('query new');
  await viewSubmission(t.target, {
    view: {
      ...view,
      state: {
        values: {
          query_datasource: input(String(datasourceId)),
          query_title: input('Churn by region'),
          query_sql: input('SELECT region, churn FROM accounts'),
          query_description: input(null),
          query_tags: input(null),
          query_domains: input(null),
          query_options: {
            value: {
              type: 'checkboxes',
              selected_options: [{ value: 'saved', text: { type: 'plain_text', text: 'saved' } }],
            },
          },
        },
      } as never,
    },
  });
  return { responseUrl };
}

/** The query the form created: the emulator's newest. */
const createdQueryId = () => Number([...t.alation.state.queries.values()].at(-1)?.id);

/** `/alation flag add <otype> <id>` in #sales, submitted with `type` (and `reason`). */
async function submitFlag(
  subject: { otype: string; id: number },
  type: 'WARNING' | 'ENDORSEMENT',
  reason?: string,
) {
  const { view, responseUrl } = await openModal(`flag add ${subject.otype} ${subject.id}`);
  await viewSubmission(t.target, {
    view: {
      ...view,
      state: {
        values: {
          flag_otype: input(subject.otype),
          flag_subject_id: input(String(subject.id)),
          flag_type: {
            flag_type_choice: {
              type: 'radio_buttons',
              selected_option: { value: type, text: { type: 'plain_text', text: type } },
            },
          },
          ...(reason === undefined ? {} : { flag_reason: input(reason) }),
        },
      } as never,
    },
  });
  return { responseUrl };
}

/** A warning on an unpublished query only the sharer (author) and Ada (admin) can see. */
async function addFlag(datasourceId: number) {
  const queryId = t.alation.addQuery({
    datasourceId,
    title: 'Pipeline by rep',
    content: 'SELECT 1',
    published: false,
    authorId: 7,
  }).id;
  const { responseUrl } = await submitFlag(
    { otype: 'query', id: queryId },
    'WARNING',
    'Counts reps twice since the reorg',
  );
  return { queryId, responseUrl };
}

const inChannel = (url: string) =>
  t.slack.responsesTo(url).filter((r) => (r.body as Json).response_type === 'in_channel');
const postsIn = (channel: string) =>
  t.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === channel);

/** The first post through `url` that everyone in the channel sees. */
async function firstInChannel(url: string): Promise<string> {
  const [posted] = await t.slack.waitUntil(() => {
    const found = inChannel(url);
    return found.length > 0 ? found : undefined;
  });
  return textOf(posted?.body);
}

/** Presses Share anyway on the choice sent to `responseUrl`; returns what it announced. */
async function shareAnyway(responseUrl: string, kind: 'query' | 'flag') {
  const choice = await nextResponse(t, responseUrl);
  return firstInChannel(await clickIn(t, choice, `audience_announce_${kind}_anyway`));
}

/** Presses Send it only to those who can and waits for its summary. */
async function sendEach(choice: Json, kind: 'query' | 'flag') {
  const before = t.alation.requests.length;
  const clicked = await clickIn(t, choice, `audience_announce_${kind}_each`);
  const done = await t.slack.waitUntil(
    () => t.slack.responsesTo(clicked).find((r) => textOf(r.body).includes('Sent it to')),
    { timeoutMs: 30_000 },
  );
  return { done: textOf(done.body), since: t.alation.requests.slice(before) };
}

describe('audience check on a new query’s announcement', () => {
  it('asks the creator first, with the counts, and announces nothing meanwhile', async () => {
    const ds = await start();
    const { responseUrl } = await createQuery(ds);
    const choice = await nextResponse(t, responseUrl);
    const queryId = createdQueryId();
    expect(choice.response_type).toBe('ephemeral');
    expect(textOf(choice)).toContain(COUNTS(queryId));
    expect(textOf(choice)).toContain('Churn by region');
    expect(inChannel(responseUrl)).toEqual([]);
    expect(postsIn(SALES)).toEqual([]);
    const asked = t.alation.requests
      .filter((r) => r.path === `/integration/v1/query/${queryId}/`)
      .map((r) => r.userId);
    expect(new Set(asked)).toEqual(new Set([7, 8, 9]));
  });

  it('“Send it only to those who can” DMs exactly them, each read with their own access', async () => {
    const ds = await start();
    const { responseUrl } = await createQuery(ds);
    const choice = await nextResponse(t, responseUrl);
    const queryId = createdQueryId();
    const { done, since } = await sendEach(choice, 'query');
    expect(done).toContain(`Sent it to 2 members of <#${SALES}> as a DM`);
    const dms = [t.slack.dmChannel(SHARER), t.slack.dmChannel(ADA)];
    const into = t.slack
      .callsTo('chat.postMessage')
      .map((c) => String(c.args.channel))
      .filter((c) => c !== SALES);
    expect(into.sort()).toEqual(dms.sort());
    expect(into).not.toContain(t.slack.dmChannel(BOB));
    expect(postsIn(SALES)).toEqual([]);
    for (const dm of dms) {
      expect(JSON.stringify(postsIn(dm)[0]?.args.blocks)).toContain('SELECT region, churn');
    }
    // Each DM was read again as its reader; nobody read it as Bob.
    const reads = since
      .filter((r) => r.path === `/integration/v1/query/${queryId}/`)
      .map((r) => r.userId)
      .sort();
    expect(reads).toEqual([7, 8]);
  });

  it('AUDIENCE_CHECK=warn announces, then tells the creator privately', async () => {
    const ds = await start({ policy: 'warn', maxMembers: 500 });
    const { responseUrl } = await createQuery(ds);
    const queryId = createdQueryId();
    expect(await firstInChannel(responseUrl)).toContain('Churn by region');
    const warning = await nextResponse(t, responseUrl, 2);
    expect(warning.response_type).toBe('ephemeral');
    expect(textOf(warning)).toContain(`Shared. ${COUNTS(queryId).slice(0, -1)}`);
  });

  it('AUDIENCE_CHECK=off announces as before, reading no members', async () => {
    const ds = await start({ policy: 'off', maxMembers: 500 });
    const { responseUrl } = await createQuery(ds);
    expect(await firstInChannel(responseUrl)).not.toContain('as seen by');
    expect(t.slack.callsTo('conversations.members')).toEqual([]);
  });
});

describe('audience check on a trust flag’s announcement', () => {
  it('asks first with the counts; Send it only to those who can DMs exactly them', async () => {
    const ds = await start();
    const { queryId, responseUrl } = await addFlag(ds);
    const choice = await nextResponse(t, responseUrl);
    expect(choice.response_type).toBe('ephemeral');
    expect(textOf(choice)).toContain(COUNTS(queryId));
    expect(textOf(choice)).toContain('Warning on Pipeline by rep');
    expect(inChannel(responseUrl)).toEqual([]);

    const { done, since } = await sendEach(choice, 'flag');
    expect(done).toContain(`Sent it to 2 members of <#${SALES}> as a DM`);
    const into = t.slack
      .callsTo('chat.postMessage')
      .map((c) => String(c.args.channel))
      .filter((c) => c !== SALES);
    expect(into.sort()).toEqual([t.slack.dmChannel(SHARER), t.slack.dmChannel(ADA)].sort());
    expect(postsIn(SALES)).toEqual([]);
    expect(JSON.stringify(postsIn(t.slack.dmChannel(ADA))[0]?.args.blocks)).toContain(
      'Counts reps twice since the reorg',
    );
    // The flag and its query's name read again as each reader.
    const flagReads = since.filter((r) => /^\/integration\/flag\/\d+\/$/.test(r.path));
    expect(flagReads.map((r) => r.userId).sort()).toEqual([7, 8]);
    const queryReads = since.filter((r) => r.path === `/integration/v1/query/${queryId}/`);
    expect(queryReads.map((r) => r.userId).sort()).toEqual([7, 8]);
  });

  it('a flag on a table is announced unchecked: Alation has no way to ask about a table', async () => {
    const ds = await start();
    const table = t.alation.addTable({ datasourceId: ds, schema: 'public', name: 'orders' }).id;
    const { responseUrl } = await submitFlag({ otype: 'table', id: table }, 'ENDORSEMENT');
    expect(await firstInChannel(responseUrl)).toContain(`table ${table}`);
    expect(t.slack.callsTo('conversations.members')).toEqual([]);
  });
});

describe('“Share anyway” on an announcement', () => {
  it.each([
    { kind: 'query' as const, make: createQuery, shows: 'SELECT region, churn' },
    { kind: 'flag' as const, make: addFlag, shows: 'Counts reps twice since the reorg' },
  ])('announces the $kind in the channel, saying whose access read it', async (c) => {
    const { responseUrl } = await c.make(await start());
    const text = await shareAnyway(responseUrl, c.kind);
    expect(text).toContain(c.shows);
    expect(text).toContain('1 of 4 members here may not be able to see this query');
    expect(text).toContain('as seen by alice in Alation');
  });
});
