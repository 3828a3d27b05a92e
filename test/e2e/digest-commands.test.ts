import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIGEST_QUEUE } from '../../src/queue/digest-run.ts';
import { blockAction, slashCommand } from '../driver.ts';
import { SLACK_DEFAULTS } from '../emulators/slack.ts';
import { DEFAULT_OWNER, startTestBot, type TestBot } from '../support/bot.ts';
import {
  type DigestFormAnswers,
  type OpenedView,
  openDigestForm,
  selectedOption,
  submitDigestForm,
  textInput,
} from '../support/digest-form.ts';
import { textOf } from '../support/flows.ts';
import { nextResponse } from '../support/respond.ts';

type Json = Record<string, unknown>;
let t: TestBot;
let queryId: number;

beforeEach(async () => {
  t = await startTestBot({ jobs: {} });
  await t.connectAlation(DEFAULT_OWNER, 7);
  const datasourceId = t.alation.addDataSource({ title: 'Warehouse' }).id;
  queryId = t.alation.addQuery({ datasourceId, title: 'Sales', content: 'SELECT 1' }).id;
  t.alation.addResult(queryId, { csv: 'a,b\n1,2\n', rowCount: 1 });
});
afterEach(() => t.stop());

const openForm = () => openDigestForm(t);
const submit = (view: OpenedView, answers: DigestFormAnswers) =>
  submitDigestForm(t, view, { query: String(queryId), ...answers });

describe('/alation digest new', () => {
  it('opens with the creator’s time zone, shows the next three runs, and saves a scheduled digest', async () => {
    const { view, responseUrl } = await openForm();
    const shown = JSON.stringify(view.blocks);
    expect(shown).toContain('"initial_value":"Europe/Berlin"');
    expect(shown).toContain('"initial_conversation":"C0CHAN0001"');
    expect(shown).toContain('Next runs:');
    expect((shown.match(/UTC\+0[12]:00/g) ?? []).length).toBe(3);
    // "Include a chart" (issue 16), ticked by default.
    expect(shown).toMatch(/"initial_options":\[[^\]]*"value":"include_chart"/);

    const ack = await submit(view, {});
    expect(ack.status).toBe(200);
    const reply = await nextResponse(t, responseUrl);
    expect(textOf(reply)).toContain(
      'Created digest *Morning sales* for <#C0CHAN0001>: Every weekday at 09:00 (Europe/Berlin)',
    );
    const [digest] = await t.features.digests.list(DEFAULT_OWNER.tenantId);
    expect(digest?.params).toEqual({
      kind: 'query_result',
      queryId,
      attachCsv: true,
      onlyIfChanged: false,
      includeChart: true,
      personal: false,
    });
    const schedule = await t.boss?.getSchedule(DIGEST_QUEUE, digest?.id);
    expect(schedule?.cron).toBe('0 9 * * 1-5');
    expect(schedule?.options?.tz).toBe('Europe/Berlin');
  });

  it('shows a bad cron, a bad zone and a bad query id next to their fields, saving nothing', async () => {
    const { view } = await openForm();
    const badCron = await submit(view, { cron: '0 25 * * *' });
    expect(badCron.body).toMatchObject({ response_action: 'errors' });
    expect(JSON.stringify(badCron.body)).toContain('digest_cron');
    const badZone = await submit(view, { zone: 'Mars/Olympus' });
    expect((badZone.body as { errors: Json }).errors.digest_zone).toContain('is not a time zone');
    const badQuery = await submit(view, { query: 'abc' });
    expect((badQuery.body as { errors: Json }).errors.digest_query).toContain('not a query id');
    // Channels the bot could not post in are caught before saving, not at the first run.
    t.slack.addChannel({ id: 'C0NOTMEMB1', name: 'not-invited', is_member: false });
    t.slack.addChannel({ id: 'C0ARCHIVE1', name: 'old', is_archived: true });
    const notIn = await submit(view, { channel: 'C0NOTMEMB1' });
    expect((notIn.body as { errors: Json }).errors.digest_channel).toContain('/invite @Alation');
    const archived = await submit(view, { channel: 'C0ARCHIVE1' });
    expect((archived.body as { errors: Json }).errors.digest_channel).toContain('archived');
    const unknown = await submit(view, { channel: 'C0NOWHERE1' });
    expect((unknown.body as { errors: Json }).errors.digest_channel).toContain('cannot see');
    expect(await t.features.digests.list(DEFAULT_OWNER.tenantId)).toHaveLength(0);
  });

  it('saves a Mode report digest from a pasted link, once the creator has connected Mode', async () => {
    const { view, responseUrl } = await openForm();
    const submitMode = (link: string) =>
      submitDigestForm(t, view, { name: 'Report health', modeReport: link, dailyAt: '08:00' });
    const link = '<https://app.mode.com/acme/reports/r3p0rt>';
    const bad = await submitMode('https://app.mode.com/acme/spaces/x');
    expect((bad.body as { errors: Json }).errors.digest_mode_report).toContain(
      'is not a Mode report',
    );
    // Not connected to Mode: nothing saved, and the field says how to fix it.
    const refused = await submitMode(link);
    expect((refused.body as { errors: Json }).errors.digest_mode_report).toContain(
      '/alation mode login',
    );
    expect(await t.features.digests.list(DEFAULT_OWNER.tenantId)).toHaveLength(0);

    await t.connectMode();
    const ack = await submitMode(link);
    expect(ack.body).toBeFalsy();
    expect(textOf(await nextResponse(t, responseUrl))).toContain('Created digest *Report health*');
    const [digest] = await t.features.digests.list(DEFAULT_OWNER.tenantId);
    expect(digest?.params).toEqual({
      kind: 'mode_runs',
      workspace: 'acme',
      report: 'r3p0rt',
      only: 'failed',
    });
    expect((await t.boss?.getSchedule(DIGEST_QUEUE, digest?.id))?.cron).toBe('0 8 * * *');
  });
});

describe('the digest modal', () => {
  it('re-renders with the kind’s fields and the next runs when a select or the zone changes', async () => {
    const { view } = await openForm();
    const updates = t.slack.callsTo('views.update').length;
    await blockAction(t.target, {
      actions: [
        { action_id: 'digest_refresh', block_id: 'digest_zone', value: 'America/New_York' },
      ],
      view: {
        ...view,
        state: {
          values: {
            digest_kind: { digest_refresh: selectedOption('failed_runs') },
            digest_schedule: { digest_refresh: selectedOption('daily') },
            digest_time: { digest_refresh: textInput('07:30') },
            digest_zone: { digest_refresh: textInput('America/New_York') },
          },
        } as never,
      },
    });
    const [update] = (await t.slack.waitFor('views.update', { count: updates + 1 })).slice(-1);
    const blocks = JSON.stringify((update?.args.view as Json | undefined)?.blocks);
    expect(blocks).toContain('digest_datasource');
    expect(blocks).not.toContain('digest_query_options');
    expect(blocks).toMatch(/Next runs:\*.*07:30 UTC-05:00.*07:30 UTC-05:00.*07:30 UTC-05:00/);
  });

  it('edits a digest in the same modal, prefilled, and reschedules it', async () => {
    const digest = await t.features.digests.create(
      {
        owner: DEFAULT_OWNER,
        channelId: SLACK_DEFAULTS.channelId,
        name: 'Morning sales',
        params: { kind: 'query_result', queryId, attachCsv: true, onlyIfChanged: true },
        cron: '0 9 * * 1-5',
        tz: 'Europe/Berlin',
      },
      new Date(),
    );
    await t.features.digestScheduler().schedule(digest);
    const opened = t.slack.callsTo('views.open').length;
    await blockAction(t.target, { actions: [{ action_id: 'digest_edit', value: digest.id }] });
    const [call] = (await t.slack.waitFor('views.open', { count: opened + 1 })).slice(-1);
    const view = (call?.response as { view?: Json & { id: string } } | undefined)?.view;
    if (!view) throw new Error('views.open returned no view');
    const shown = JSON.stringify(view.blocks);
    expect(shown).toContain('"initial_value":"0 9 * * 1-5"');
    expect(shown).toContain('"initial_value":"Morning sales"');
    expect(shown).toContain('only_if_changed');
    await submit(view, { cron: '30 8 * * 1', zone: 'Europe/London' });
    await t.slack.waitUntil(() =>
      t.slack.callsTo('chat.postMessage').find((c) => textOf(c.args).includes('Saved digest')),
    );
    const saved = await t.features.digests.get(digest.id);
    expect(saved).toMatchObject({ cron: '30 8 * * 1', tz: 'Europe/London' });
    const schedule = await t.boss?.getSchedule(DIGEST_QUEUE, digest.id);
    expect(schedule?.cron).toBe('30 8 * * 1');
    expect(schedule?.options?.tz).toBe('Europe/London');
  });
});

describe('/alation digest list', () => {
  it('pages through more digests than one message holds', async () => {
    for (let i = 1; i <= 17; i++) {
      await t.features.digests.create(
        {
          owner: DEFAULT_OWNER,
          channelId: SLACK_DEFAULTS.channelId,
          name: `Digest ${String(i).padStart(2, '0')}`,
          params: { kind: 'failed_runs' },
          cron: '0 9 * * *',
          tz: 'UTC',
        },
        new Date(Date.UTC(2026, 10, 1, 0, i)),
      );
    }
    const responseUrl = t.slack.responseUrl();
    await slashCommand(t.target, { text: 'digest list', response_url: responseUrl });
    const first = await nextResponse(t, responseUrl);
    const blocks = (first as { blocks?: unknown[] }).blocks ?? [];
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(textOf(first)).toContain('(17, 1–15 shown)');
    const buttons = blocks.flatMap(
      (b) => (b as { elements?: { action_id?: string; value?: string }[] }).elements ?? [],
    );
    expect(buttons.find((e) => e.action_id === 'digest_page_next')?.value).toBe('15');
    const url = t.slack.responseUrl();
    await blockAction(t.target, {
      actions: [{ action_id: 'digest_page_next', value: '15' }],
      response_url: url,
    });
    const second = await nextResponse(t, url);
    expect(textOf(second)).toContain('(17, 16–17 shown)');
    expect(JSON.stringify(second)).toContain('digest_page_prev');
    expect(JSON.stringify(second)).not.toContain('digest_page_next');
    // Both pages together show every digest once.
    const names = (m: unknown) => textOf(m).match(/Digest \d\d/g) ?? [];
    expect(new Set([...names(first), ...names(second)]).size).toBe(17);
  });

  it('lists digests with their schedule and manages them: Run now, Pause/Resume, Delete', async () => {
    const digest = await t.features.digests.create(
      {
        owner: DEFAULT_OWNER,
        channelId: SLACK_DEFAULTS.channelId,
        name: 'Morning sales',
        params: { kind: 'query_result', queryId, attachCsv: false, onlyIfChanged: false },
        cron: '0 9 * * 1-5',
        tz: 'Europe/Berlin',
      },
      new Date(),
    );
    await t.features.digestScheduler().schedule(digest);
    const responseUrl = t.slack.responseUrl();
    await slashCommand(t.target, { text: 'digest', response_url: responseUrl });
    const list = await nextResponse(t, responseUrl);
    const listed = textOf(list);
    expect(listed).toContain('Morning sales');
    expect(listed).toContain('Every weekday at 09:00 (Europe/Berlin)');
    expect(listed).toContain('Next: ');
    expect(listed).toContain('never ran');
    expect(JSON.stringify(list)).toContain('"confirm"');

    const press = (actionId: string) => {
      const url = t.slack.responseUrl();
      return blockAction(t.target, {
        actions: [{ action_id: actionId, value: digest.id }],
        response_url: url,
      }).then(() => nextResponse(t, url));
    };
    const ran = await press('digest_run_now');
    expect(textOf(ran)).toContain('Running *Morning sales* now');
    const [posted] = await t.slack.waitFor('chat.postMessage', {
      where: (c) => c.args.channel === SLACK_DEFAULTS.channelId,
      timeoutMs: 10_000,
    });
    expect(textOf(posted?.args)).toContain('Morning sales');
    expect(textOf(posted?.args)).toContain('Run now');

    const paused = await press('digest_pause');
    expect(textOf(paused)).toContain('Paused *Morning sales*');
    expect(await t.boss?.getSchedule(DIGEST_QUEUE, digest.id)).toBeNull();
    const resumed = await press('digest_resume');
    expect(textOf(resumed)).toContain('Resumed');
    expect((await t.boss?.getSchedule(DIGEST_QUEUE, digest.id))?.cron).toBe('0 9 * * 1-5');
    const deleted = await press('digest_delete');
    expect(textOf(deleted)).toContain('Deleted *Morning sales*');
    expect(await t.features.digests.get(digest.id)).toBeUndefined();
    expect(await t.boss?.getSchedule(DIGEST_QUEUE, digest.id)).toBeNull();
  });

  it('lets only the creator manage a digest', async () => {
    const digest = await t.features.digests.create(
      {
        owner: { tenantId: DEFAULT_OWNER.tenantId, userId: 'U0SOMEONE9' },
        channelId: SLACK_DEFAULTS.channelId,
        name: 'Theirs',
        params: { kind: 'query_result', queryId, attachCsv: false, onlyIfChanged: false },
        cron: '0 9 * * *',
        tz: 'UTC',
      },
      new Date(),
    );
    const url = t.slack.responseUrl();
    await blockAction(t.target, {
      actions: [{ action_id: 'digest_delete', value: digest.id }],
      response_url: url,
    });
    expect(textOf(await nextResponse(t, url))).toContain('only its creator can change it');
    expect(await t.features.digests.get(digest.id)).toBeDefined();
  });
});
