// `/alation chart` (issue 16): the modal offers the result's columns; the saved choice is used by
// the next share of the query's result.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHART_FINISH_MS } from '../../src/charts/service.ts';
import { blockAction, slashCommand, viewSubmission } from '../driver.ts';
import { DEFAULT_OWNER, startTestBot, type TestBot } from '../support/bot.ts';
import { openedView, textOf } from '../support/flows.ts';

/**
 * A share's message waits up to CHART_FINISH_MS for its chart, and the first chart of a process
 * loads Vega on the pool's thread: on a loaded machine that is seconds, not the default 5.
 */
const CHART_WAIT = { timeoutMs: CHART_FINISH_MS + 25_000 };

let t: TestBot;
let queryId: number;
const CSV =
  'day,region,revenue,cost\n2024-11-01,EMEA,100,40\n2024-11-01,APAC,80,30\n2024-11-02,EMEA,120,50\n';

beforeEach(async () => {
  t = await startTestBot();
  await t.connectAlation(DEFAULT_OWNER, 7);
  const datasourceId = t.alation.addDataSource({ title: 'Warehouse' }).id;
  queryId = t.alation.addQuery({ datasourceId, title: 'Revenue', content: 'SELECT 1' }).id;
  t.alation.addResult(queryId, { csv: CSV, rowCount: 3 });
});
afterEach(() => t.stop());

type Json = Record<string, unknown>;
const selected = (value: string) => ({
  type: 'static_select',
  selected_option: { value, text: { type: 'plain_text', text: value } },
});
const multi = (...values: string[]) => ({
  type: 'multi_static_select',
  selected_options: values.map((value) => ({ value, text: { type: 'plain_text', text: value } })),
});

function submit(view: Json & { id: string }, kind: string, x: string | undefined, y: string[]) {
  return viewSubmission(t.target, {
    view: {
      ...view,
      state: {
        values: {
          chart_kind: { value: selected(kind) },
          chart_x: { value: x ? selected(x) : { type: 'static_select', selected_option: null } },
          chart_y: { value: multi(...y) },
          chart_aggregation: { value: selected('sum') },
          chart_title: { value: 'Revenue and cost by region' },
        },
      },
    } as never,
  });
}

describe('/alation chart', () => {
  it('offers the columns, saves the choice, and the next share draws it', async () => {
    await slashCommand(t.target, { text: `chart ${queryId}`, response_url: t.slack.responseUrl() });
    const view = await openedView(t, 'chart_modal');
    const y = (view.blocks as Json[]).find((b) => b.block_id === 'chart_y') as Json;
    const options = ((y.element as Json).options as { value: string }[]).map((o) => o.value);
    expect(options).toEqual(['day', 'region', 'revenue', 'cost']);

    const ack = await submit(view, 'stacked_bar', 'region', ['revenue', 'cost']);
    // Answered in the submission, or (on a slow machine) by views.update after a progress view.
    const answer =
      (ack.body as { view?: Json } | undefined)?.view ??
      ((await t.slack.waitFor('views.update'))[0]?.args.view as Json);
    expect(textOf(answer)).toContain('Saved: a stacked bar chart for query');
    expect(await t.features.chartChoices.get(DEFAULT_OWNER, queryId)).toEqual({
      kind: 'stacked_bar',
      x: 'region',
      y: ['revenue', 'cost'],
      aggregation: 'sum',
      title: 'Revenue and cost by region',
    });

    await slashCommand(t.target, {
      text: `result ${queryId}`,
      response_url: t.slack.responseUrl(),
    });
    await t.slack.waitFor('files.completeUploadExternal', CHART_WAIT);
    const png = [...t.slack.uploads.values()].find((u) => u.filename.endsWith('.png'));
    expect(png?.alt_text).toMatch(
      /^Stacked bar chart of revenue and cost by region, 2 series: revenue and cost, 2 categories, largest EMEA 220/,
    );
  });

  it('shows the problem next to the field: no values, or no x axis', async () => {
    await slashCommand(t.target, { text: `chart ${queryId}`, response_url: t.slack.responseUrl() });
    const view = await openedView(t, 'chart_modal');
    const none = await submit(view, 'line', 'day', []);
    expect(none.body).toMatchObject({
      response_action: 'errors',
      errors: { chart_y: expect.stringContaining('at least one') },
    });
    const noX = await submit(view, 'bar', undefined, ['revenue']);
    expect(noX.body).toMatchObject({
      errors: { chart_x: expect.stringContaining('needs an x axis') },
    });
    expect(await t.features.chartChoices.get(DEFAULT_OWNER, queryId)).toBeUndefined();
  });

  it("Chart… on a shared result opens the same modal for that result's query", async () => {
    await slashCommand(t.target, {
      text: `result ${queryId}`,
      response_url: t.slack.responseUrl(),
    });
    const [shared] = await t.slack.waitFor('files.completeUploadExternal', CHART_WAIT);
    const blocks = (shared?.args.blocks ?? []) as Json[];
    const button = blocks
      .flatMap((b) => (b.elements ?? []) as Json[])
      .find((e) => e.action_id === 'chart_open');
    expect(button).toMatchObject({ type: 'button', value: String(queryId) });
    expect(t.slack.callsTo('views.open')).toHaveLength(0);

    const ack = await blockAction(t.target, {
      actions: [{ action_id: 'chart_open', value: String(button?.value) }],
    });
    expect(ack.status).toBe(200);
    const view = await openedView(t, 'chart_modal');
    const y = (view.blocks as Json[]).find((b) => b.block_id === 'chart_y') as Json;
    expect(((y.element as Json).options as { value: string }[]).map((o) => o.value)).toEqual([
      'day',
      'region',
      'revenue',
      'cost',
    ]);
    // Saved from the button's modal, the choice is the query's.
    await submit(view, 'bar', 'region', ['cost']);
    await expect
      .poll(() => t.features.chartChoices.get(DEFAULT_OWNER, queryId))
      .toMatchObject({ kind: 'bar', x: 'region', y: ['cost'] });
  });

  it('Chart… with a forged value opens nothing', async () => {
    const ack = await blockAction(t.target, {
      actions: [{ action_id: 'chart_open', value: '15; DROP' }],
    });
    expect(ack.status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(t.slack.callsTo('views.open')).toHaveLength(0);
  });

  it('says how to use it when the id is not a number', async () => {
    const ack = await slashCommand(t.target, {
      text: 'chart sales',
      response_url: t.slack.responseUrl(),
    });
    expect(textOf(ack.body)).toContain('/alation chart 42');
  });
});
