// Issue 18: before a result goes into a channel, each member who has connected Alation is asked
// of Alation as themselves; when some cannot see the query the sharer chooses privately first.
import { afterEach, describe, expect, it } from 'vitest';
import type { AudienceConfig } from '../../src/config.ts';
import { listMessage } from '../../src/digests/list-message.ts';
import { blockAction, slashCommand } from '../driver.ts';
import { SLACK_DEFAULTS } from '../emulators/slack.ts';
import { alertFormValues, openAlertForm, submitAlertForm } from '../support/alert-form.ts';
import { ADA, BOB, clickIn, SALES, SHARER, seedSales } from '../support/audience.ts';
import { DEFAULT_OWNER, startTestBot, type TestBot } from '../support/bot.ts';
import { digestFormValues, openDigestForm, submitDigestForm } from '../support/digest-form.ts';
import { textOf } from '../support/flows.ts';
import { nextResponse } from '../support/respond.ts';

const CSV = 'region,total\nEMEA,1200\n';

let t: TestBot;
afterEach(() => t.stop());

/**
 * #sales: the sharer (Alation user 7, the author), Ada (8, shared with), Bob (9, gets 403),
 * Cy (never connected) and the bot. The query is unpublished, so only 7 and 8 can see it.
 */
async function setup(audience?: AudienceConfig, published = false, jobs = false) {
  t = await startTestBot({ ...(audience ? { audience } : {}), ...(jobs ? { jobs: {} } : {}) });
  await seedSales(t);
  const datasourceId = t.alation.addDataSource({ title: 'Warehouse' }).id;
  const query = t.alation.addQuery({
    datasourceId,
    title: 'Pipeline by rep',
    content: 'SELECT 1',
    published,
    authorId: 7,
    viewerIds: [8],
  });
  t.alation.addResult(query.id, { csv: CSV, rowCount: 1 });
  return query.id;
}

async function share(queryId: number) {
  const responseUrl = t.slack.responseUrl();
  await slashCommand(t.target, {
    text: `result ${queryId}`,
    channel_id: SALES,
    channel_name: 'sales',
    response_url: responseUrl,
  });
  return responseUrl;
}

const click = (body: Record<string, unknown>, actionId: string) => clickIn(t, body, actionId);

/** The share's upload finishing; generous, for a loaded machine. */
const uploaded = () => t.slack.waitFor('files.completeUploadExternal', { timeoutMs: 30_000 });

const csvReadsBy = (resultPath = /\/integration\/v1\/result\/\d+\/csv\//) =>
  t.alation.requests.filter((r) => resultPath.test(r.path)).map((r) => r.userId);

describe('audience check on /alation result', () => {
  it('asks first, with the counts, and shares nothing until the sharer chooses', async () => {
    const queryId = await setup();
    const responseUrl = await share(queryId);
    const choice = await nextResponse(t, responseUrl);
    expect(textOf(choice)).toContain(
      `1 of 4 members of <#${SALES}> cannot see query ${queryId} in Alation, 1 has not connected.`,
    );
    expect(choice.response_type).toBe('ephemeral');
    expect(t.slack.callsTo('files.completeUploadExternal')).toEqual([]);
    // Each connected member was asked as themselves; Cy (not connected) and the bot were not.
    const asked = t.alation.requests
      .filter((r) => r.path === `/integration/v1/query/${queryId}/`)
      .map((r) => r.userId);
    expect(new Set(asked)).toEqual(new Set([7, 8, 9]));
    expect(csvReadsBy()).toEqual([]);

    // Cancel replaces the choice and still shares nothing.
    const cancelled = await click(choice, 'audience_cancel');
    expect(textOf(await nextResponse(t, cancelled))).toContain('nothing was shared');
    expect(t.slack.callsTo('files.completeUploadExternal')).toEqual([]);
  });

  it('“Send it only to those who can” DMs exactly them, each read with their own access', async () => {
    const queryId = await setup();
    const choice = await nextResponse(t, await share(queryId));
    const before = t.alation.requests.length;
    const clicked = await click(choice, 'audience_send_each');
    const done = await t.slack.waitUntil(
      () => t.slack.responsesTo(clicked).find((r) => textOf(r.body).includes('Sent it to')),
      { timeoutMs: 30_000 },
    );
    expect(textOf(done.body)).toContain(`Sent it to 2 members of <#${SALES}> as a DM`);
    const completes = t.slack.callsTo('files.completeUploadExternal');
    const into = completes.map((c) => String(c.args.channel_id)).sort();
    expect(into).toEqual([t.slack.dmChannel(SHARER), t.slack.dmChannel(ADA)].sort());
    expect(into).not.toContain(SALES);
    expect(into).not.toContain(t.slack.dmChannel(BOB));
    const reads = t.alation.requests
      .slice(before)
      .filter((r) => /\/integration\/v1\/result\/\d+\/csv\//.test(r.path))
      .map((r) => r.userId)
      .sort();
    expect(reads).toEqual([7, 8]);
    // The check's answers were cached: no second round of visibility calls.
    expect(
      t.alation.requests.slice(before).filter((r) => r.path === `/integration/v1/query/${queryId}/`)
        .length,
    ).toBe(2); // one per DM, as each reader's own latest-result read
  });

  it('“Share anyway” posts in the channel, saying whose access it was read with', async () => {
    const queryId = await setup();
    const choice = await nextResponse(t, await share(queryId));
    await click(choice, 'audience_share_anyway');
    // A second check and a share after the click: slow on a loaded machine.
    const [complete] = await t.slack.waitFor('files.completeUploadExternal', {
      timeoutMs: 30_000,
    });
    expect(complete?.args.channel_id).toBe(SALES);
    const text = textOf(t.slack.messages(SALES).at(-1));
    expect(text).toContain('as seen by alice in Alation');
    expect(text).toContain('1 of 4 members here may not be able to see this query');
    expect(csvReadsBy()).toEqual([7]);
  });

  it('posts at once when everyone connected can see it, and says so', async () => {
    const queryId = await setup(undefined, true);
    await share(queryId);
    const [complete] = await uploaded();
    expect(complete?.args.channel_id).toBe(SALES);
    const text = textOf(t.slack.messages(SALES).at(-1));
    expect(text).toContain('Everyone here who has connected Alation can see this query');
    expect(text).toContain('as seen by alice in Alation');
  });

  it('AUDIENCE_CHECK=warn posts, then tells the sharer privately who cannot see it', async () => {
    const queryId = await setup({ policy: 'warn', maxMembers: 500 });
    const responseUrl = await share(queryId);
    await uploaded();
    const warning = await nextResponse(t, responseUrl);
    expect(textOf(warning)).toContain(
      `Shared. 1 of 4 members of <#${SALES}> cannot see query ${queryId} in Alation`,
    );
  });

  it('AUDIENCE_CHECK=off reads no members and asks nobody else', async () => {
    const queryId = await setup({ policy: 'off', maxMembers: 500 });
    await share(queryId);
    await uploaded();
    expect(t.slack.callsTo('conversations.members')).toEqual([]);
    const users = new Set(t.alation.requests.map((r) => r.userId).filter((u) => u !== null));
    expect(users).toEqual(new Set([7]));
  });

  it('checks at most the configured number of members and says the check was partial', async () => {
    const queryId = await setup({ policy: 'ask', maxMembers: 3 });
    const choice = await nextResponse(t, await share(queryId));
    expect(textOf(choice)).toContain('1 of 3 members');
    expect(textOf(choice)).toContain('Only the first 3 members were checked');
  });
});

describe('audience check on a digest saved into a channel', () => {
  it('tells the creator who cannot see the query, and shows it on the digest’s list entry', async () => {
    const queryId = await setup(undefined, false, true);
    const { view, responseUrl } = await openDigestForm(t);
    await submitDigestForm(t, view, { query: String(queryId), channel: SALES });
    const saved = textOf(await nextResponse(t, responseUrl));
    expect(saved).toContain('Created digest *Morning sales*');
    const sentence = `1 of 4 members of <#${SALES}> cannot see query ${queryId} in Alation, 1 has not connected.`;
    expect(saved).toContain(sentence);
    expect(saved).toContain('To each subscriber, as themselves');
    expect(JSON.stringify((await listMessage(t.features, DEFAULT_OWNER)).blocks)).toContain(
      sentence,
    );
  });
});

describe('audience check in the digest form', () => {
  it('shows the finding under the channel once it and the query are picked, before saving', async () => {
    const queryId = await setup(undefined, false, true);
    const { view } = await openDigestForm(t);
    const updates = t.slack.callsTo('views.update').length;
    await blockAction(t.target, {
      actions: [{ action_id: 'digest_refresh', block_id: 'digest_channel' }],
      view: {
        ...view,
        state: {
          values: digestFormValues({ query: String(queryId), channel: SALES }),
        } as never,
      },
    });
    const calls = await t.slack.waitFor('views.update', { count: updates + 2 });
    const shown = JSON.stringify(calls.at(-1)?.args.view);
    expect(shown).toContain(
      `1 of 4 members of <#${SALES}> cannot see query ${queryId} in Alation, 1 has not connected.`,
    );
    expect(shown).toContain('To each subscriber, as themselves');
  });
});

describe('audience check in the alert form', () => {
  const answers = (queryId: number) => ({
    query: String(queryId),
    channel: SALES,
    column: 'total',
    threshold: '100',
  });
  const sentence = (queryId: number) =>
    `1 of 4 members of <#${SALES}> cannot see query ${queryId} in Alation, 1 has not connected.`;

  async function pickChannel(view: Record<string, unknown>, queryId: number) {
    await blockAction(t.target, {
      actions: [
        {
          action_id: 'alert_refresh',
          block_id: 'alert_channel',
          type: 'conversations_select',
          selected_conversation: SALES,
        },
      ],
      view: { ...view, state: { values: alertFormValues(answers(queryId)) } } as never,
    });
  }

  it('shows the finding next to the channel before save, in the confirmation and on the list entry', async () => {
    const queryId = await setup(undefined, false, true);
    const { view, responseUrl } = await openAlertForm(t, `alert new ${queryId}`, SALES);
    const updates = t.slack.callsTo('views.update').length;
    await pickChannel(view, queryId);
    // The form first re-renders at once, then again with the finding once the check is done.
    const calls = await t.slack.waitFor('views.update', { count: updates + 2 });
    const shown = JSON.stringify(calls.at(-1)?.args.view);
    expect(shown).toContain(sentence(queryId));
    expect(shown).toContain('To each subscriber, as themselves');
    expect(shown.indexOf(sentence(queryId))).toBeGreaterThan(shown.indexOf('alert_channel'));

    await submitAlertForm(t, view, answers(queryId));
    await t.slack.waitUntil(() => t.slack.responsesTo(responseUrl).length > 0 || undefined, {
      timeoutMs: 20_000,
    });
    const saved = textOf(await nextResponse(t, responseUrl));
    expect(saved).toContain('Created alert *Big orders*');
    expect(saved).toContain(sentence(queryId));

    const listed = t.slack.responseUrl();
    await slashCommand(t.target, { text: 'alert list', response_url: listed });
    expect(JSON.stringify(await nextResponse(t, listed))).toContain(sentence(queryId));
  }, 60_000);

  it('says everyone connected can see it when they can', async () => {
    const queryId = await setup(undefined, true, true);
    const { view } = await openAlertForm(t, `alert new ${queryId}`, SALES);
    const updates = t.slack.callsTo('views.update').length;
    await pickChannel(view, queryId);
    const calls = await t.slack.waitFor('views.update', { count: updates + 2 });
    expect(JSON.stringify(calls.at(-1)?.args.view)).toContain(
      `Everyone in <#${SALES}> who has connected Alation can see query ${queryId}.`,
    );
  }, 60_000);

  it('AUDIENCE_CHECK=off shows nothing and asks nobody', async () => {
    const queryId = await setup({ policy: 'off', maxMembers: 500 }, false, true);
    const { view } = await openAlertForm(t, `alert new ${queryId}`, SALES);
    const updates = t.slack.callsTo('views.update').length;
    await pickChannel(view, queryId);
    const [call] = (await t.slack.waitFor('views.update', { count: updates + 1 })).slice(-1);
    expect(JSON.stringify(call?.args.view)).not.toContain('can see query');
    expect(t.slack.callsTo('conversations.members')).toHaveLength(0);
  }, 60_000);
});

describe('users.info answers kept ten minutes', () => {
  it('a second share into a 500-member channel within ten minutes asks Slack about nobody', async () => {
    let now = new Date('2026-12-01T09:00:00Z');
    t = await startTestBot({ now: () => now });
    const members = Array.from({ length: 498 }, (_, i) => `U0M${String(i).padStart(7, '0')}`);
    for (const id of members) t.slack.addUser({ id, name: id.toLowerCase() });
    t.slack.addChannel({
      id: SALES,
      name: 'sales',
      members: [SHARER, ...members, SLACK_DEFAULTS.botUserId],
    });
    await t.connectAlation(DEFAULT_OWNER, 7);
    const datasourceId = t.alation.addDataSource({ title: 'Warehouse' }).id;
    const queryId = t.alation.addQuery({ datasourceId, title: 'Pipeline', content: 'SELECT 1' }).id;
    t.alation.addResult(queryId, { csv: CSV, rowCount: 1 });
    const shared = async (count: number) => {
      await share(queryId);
      await t.slack.waitFor('files.completeUploadExternal', { count, timeoutMs: 30_000 });
      return t.slack.callsTo('users.info').length;
    };
    const first = await shared(1);
    expect(first).toBeGreaterThanOrEqual(500);
    // The same channel again, nine minutes later: every answer is still kept.
    now = new Date(now.getTime() + 9 * 60_000);
    expect(await shared(2)).toBe(first);
    // Past ten minutes Slack is asked again.
    now = new Date(now.getTime() + 2 * 60_000);
    expect((await shared(3)) - first).toBeGreaterThanOrEqual(500);
  });
});
