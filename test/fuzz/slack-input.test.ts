/**
 * Seeded fuzzing of everything Slack can send, against the real HTTP app and its emulators:
 * hundreds of slash-command texts a careless or hostile person could type, then every modal the
 * bot opened submitted with hostile values, every button it sent pressed with hostile values,
 * and malformed interactive payloads and event bodies derived from valid ones.
 *
 * Holds throughout: no 5xx, every request answered within 3 s, /healthz answers, and nothing
 * sent to Slack (acks, response_url posts, Web API calls) carries a stack trace or a special
 * mention, user/channel/group reference or link markup that came from the input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AckResponse,
  buildBlockAction,
  buildEventEnvelope,
  buildMessageAction,
  buildShortcut,
  buildViewSubmission,
  postInteraction,
  postSigned,
  slashCommand,
} from '../driver.ts';
import { SLACK_DEFAULTS } from '../emulators/slack.ts';
import { DEFAULT_OWNER, startTestBot, type TestBot } from '../support/bot.ts';
import {
  findHostileMarkup,
  HOSTILE_MARKUP,
  hostileString,
  hostileStrings,
  looksLikeStackTrace,
  seededRandom,
} from '../support/hostile.ts';

const SEED = 1313;
const ACK_DEADLINE_MS = 3000;

type Json = Record<string, unknown>;
interface Sent {
  label: string;
  status: number;
  ms: number;
  body: unknown;
}

let t: TestBot;
let datasourceId = 0;
const sent: Sent[] = [];
const healthFailures: string[] = [];
let polling = true;
let poller: Promise<void> | undefined;

beforeAll(async () => {
  t = await startTestBot({ jobs: {} });
  await t.connectAlation(DEFAULT_OWNER, 7);
  await t.connectMode();
  datasourceId = t.alation.addDataSource({ title: 'Warehouse <!here>' }).id;
  for (const title of ['Revenue <!channel>', 'Orders', '<@UHOSTILE1> churn']) {
    const query = t.alation.addQuery({ datasourceId, title, content: 'SELECT 1 -- <!everyone>' });
    t.alation.addResult(query.id, { csv: 'name,n\n<!here>,1\nb,2\n', rowCount: 2 });
  }
  poller = (async () => {
    while (polling) {
      const res = await fetch(`${t.origin}/healthz`).catch((e: unknown) => e);
      if (!(res instanceof Response) || res.status !== 200) healthFailures.push(String(res));
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
});

afterAll(async () => {
  polling = false;
  await poller;
  await t.stop();
});

async function send(label: string, request: () => Promise<AckResponse>): Promise<Sent> {
  const started = performance.now();
  const res = await request();
  const entry = { label, status: res.status, ms: performance.now() - started, body: res.body };
  sent.push(entry);
  return entry;
}

/** Runs `work` over `items`, `width` at a time. */
async function pool<T>(items: T[], width: number, work: (item: T) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        await work(item);
      }
    }),
  );
}

interface Mark {
  sent: number;
  responses: number;
  calls: number;
}
const mark = (): Mark => ({
  sent: sent.length,
  responses: t.slack.responses.length,
  calls: t.slack.calls.length,
});

/** Everything the bot sent to Slack since `from`: acks, response_url posts, Web API calls. */
function everythingSent(from: Mark): { where: string; value: unknown }[] {
  return [
    ...sent
      .slice(from.sent)
      .map((s) => ({ where: `ack of ${s.label.slice(0, 60)}`, value: s.body })),
    ...t.slack.responses
      .slice(from.responses)
      .map((r) => ({ where: 'response_url post', value: r.body })),
    ...t.slack.calls
      .slice(from.calls)
      .map((c) => ({ where: `Web API ${c.method}`, value: c.args })),
  ];
}

/** Modal errors (`response_action: errors`) are plain text under a field: short, never markup. */
function errorsOf(value: unknown): string[] {
  const errors = (value as { errors?: unknown } | null)?.errors;
  return errors && typeof errors === 'object' ? Object.values(errors).map(String) : [];
}

function expectNothingLeaked(from: Mark) {
  const problems: string[] = [];
  for (const { where, value } of everythingSent(from)) {
    for (const error of errorsOf(value)) {
      if (error.length > 400) problems.push(`${where}: a ${error.length}-character field error`);
    }
    for (const f of findHostileMarkup(value)) problems.push(`${where}: ${f.markup} at ${f.path}`);
    if (looksLikeStackTrace(JSON.stringify(value))) problems.push(`${where}: a stack trace`);
  }
  expect(problems.slice(0, 20)).toEqual([]);
}

function expectAnsweredWell(from: Mark) {
  const batch = sent.slice(from.sent);
  expect(batch.filter((s) => s.status >= 500).map((s) => `${s.status} ${s.label}`)).toEqual([]);
  expect(batch.filter((s) => s.ms > ACK_DEADLINE_MS).map((s) => s.label)).toEqual([]);
  expect(healthFailures).toEqual([]);
}

const SUBCOMMANDS = [
  '',
  'query',
  'query new',
  'query search',
  'runs',
  'runs 1',
  'result',
  'result 1',
  'sql',
  'flag',
  'flag add',
  'flag add table',
  'flag list',
  'flag list query',
  'flag remove',
  'flag edit',
  'sync',
  'sync 1',
  'job',
  'digest',
  'digest new',
  'digest list',
  'whoami',
  'logout x',
  'mode',
  'mode runs',
  'mode run',
  'help',
];

const IDS = ['-1', '0', '1.5', '1e309', '99999999999999999999', '2', '007', '1 2 3', '١٢', 'NaN'];

/** Commands that work, so their modals and buttons exist to be submitted and pressed later. */
const WORKING = [
  'query 1',
  'query 2',
  'query search Rev',
  'runs 1',
  'result 1',
  'sql 1',
  'flag list query 1',
  'flag add query 1',
  'flag add',
  'query new',
  'digest new',
  'digest list',
  'sync',
  'login',
  'mode login',
  'whoami',
  'job 1',
  'help',
];

function commandTexts(count: number): string[] {
  const rand = seededRandom(SEED);
  const strings = hostileStrings(SEED, count - WORKING.length);
  return [
    ...WORKING,
    ...strings.map((s, i) => {
      const sub = SUBCOMMANDS[i % SUBCOMMANDS.length] ?? '';
      const arg = rand() < 0.15 ? (IDS[Math.floor(rand() * IDS.length)] ?? '') : s;
      return `${sub} ${arg}`.trimStart();
    }),
  ];
}

/**
 * Inputs that must hold a valid id or setting for the submission to get past validation and
 * reach the code that echoes, announces and posts; they get one most of the time.
 */
const VALID: Record<string, () => string> = {
  query_datasource: () => String(datasourceId),
  open_sql_datasource: () => String(datasourceId),
  sync_datasource: () => String(datasourceId),
  digest_datasource: () => String(datasourceId),
  digest_query: () => '1',
  flag_otype: () => 'query',
  flag_subject_id: () => '1',
  digest_subject: () => 'query 1',
  digest_cron: () => '0 9 * * 1-5',
  digest_zone: () => 'Europe/Berlin',
  digest_time: () => '09:00',
  alation_user_id: () => '7',
  mode_workspace: () => 'acme',
};

/**
 * Slack's state for a submitted modal: every input filled; free text (titles, names, SQL,
 * reasons) with hostile strings, ids and settings mostly valid so the submission goes through.
 */
function fillState(view: Json, rand: () => number): Json {
  const values: Json = {};
  for (const block of (view.blocks as Json[] | undefined) ?? []) {
    if (block.type !== 'input' || typeof block.block_id !== 'string') continue;
    const element = block.element as Json;
    const actionId = String(element.action_id ?? 'value');
    const options = (element.options as Json[] | undefined) ?? [];
    const first = options[Math.floor(rand() * Math.max(1, options.length))];
    const value: Json = { type: element.type };
    switch (element.type) {
      case 'plain_text_input': {
        const valid = VALID[block.block_id];
        value.value = valid && rand() < 0.85 ? valid() : hostileString(rand, { long: false });
        break;
      }
      case 'static_select':
      case 'radio_buttons':
        value.selected_option = first ?? null;
        break;
      case 'checkboxes':
        value.selected_options = first ? [first] : [];
        break;
      case 'conversations_select':
      case 'channels_select':
        value.selected_conversation = SLACK_DEFAULTS.channelId;
        value.selected_channel = SLACK_DEFAULTS.channelId;
        break;
      case 'users_select':
        value.selected_user = SLACK_DEFAULTS.userId;
        break;
      default:
        value.value = hostileString(rand, { long: false });
    }
    values[block.block_id] = { [actionId]: value };
  }
  return values;
}

/** Every interactive element (button, select) in what the bot sent, with where it lives. */
function elementsSent(): { action_id: string; value?: string; inView: boolean }[] {
  const found = new Map<string, { action_id: string; value?: string; inView: boolean }>();
  const walk = (value: unknown, inView: boolean) => {
    if (Array.isArray(value)) {
      for (const v of value) walk(v, inView);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const record = value as Json;
    if (typeof record.action_id === 'string' && typeof record.type === 'string') {
      const key = `${record.action_id}|${inView}`;
      if (!found.has(key)) {
        found.set(key, {
          action_id: record.action_id,
          ...(typeof record.value === 'string' ? { value: record.value } : {}),
          inView,
        });
      }
    }
    for (const v of Object.values(record)) walk(v, inView);
  };
  for (const s of sent) walk(s.body, false);
  for (const r of t.slack.responses) walk(r.body, false);
  for (const c of t.slack.calls) walk(c.args, c.method.startsWith('views.'));
  return [...found.values()];
}

describe('fuzzing Slack input (seed 1313)', () => {
  it('answers 320 hostile slash-command texts in time, with nothing hostile echoed', async () => {
    const from = mark();
    const texts = commandTexts(320);
    expect(texts.length).toBeGreaterThanOrEqual(300);
    expect(texts.some((x) => x.length > 10_000)).toBe(true);
    await pool(texts, 6, (text) =>
      send(`/alation ${text}`, () =>
        slashCommand(t.target, { text, response_url: t.slack.responseUrl() }),
      ),
    );
    expect(await t.inFlight.drain(30_000)).toBe(true);
    expectAnsweredWell(from);
    expectNothingLeaked(from);
  });

  it('submits every modal the bot opened with hostile values', async () => {
    const from = mark();
    const rand = seededRandom(SEED + 1);
    const opened = t.slack
      .callsTo('views.open')
      .map((c) => (c.response as { view?: Json } | undefined)?.view)
      .filter((v): v is Json => v !== undefined);
    const byCallback = new Map(opened.map((v) => [String(v.callback_id), v]));
    expect(byCallback.size).toBeGreaterThanOrEqual(4);
    const submissions = [...byCallback.values()].flatMap((view) =>
      Array.from({ length: 12 }, () => view),
    );
    await pool(submissions, 4, (view) =>
      send(`submit ${String(view.callback_id)}`, () =>
        postInteraction(
          t.target,
          buildViewSubmission({
            view: { ...(view as object), state: { values: fillState(view, rand) } } as never,
          }),
        ),
      ),
    );
    expect(await t.inFlight.drain(30_000)).toBe(true);
    expectAnsweredWell(from);
    expectNothingLeaked(from);
  });

  it('presses every button the bot sent, with its own and with hostile values', async () => {
    const from = mark();
    const rand = seededRandom(SEED + 2);
    const elements = elementsSent();
    expect(elements.length).toBeGreaterThanOrEqual(10);
    const presses = elements.flatMap((e) =>
      [e.value, hostileString(rand, { long: false })].map((value) => ({ ...e, value })),
    );
    await pool(presses, 4, (e) =>
      send(`press ${e.action_id}`, () =>
        postInteraction(
          t.target,
          buildBlockAction({
            actions: [
              { action_id: e.action_id, ...(e.value === undefined ? {} : { value: e.value }) },
            ],
            ...(e.inView ? { view: { id: 'V0FUZZ0001', type: 'home' } } : {}),
          }),
        ),
      ),
    );
    expect(await t.inFlight.drain(30_000)).toBe(true);
    expectAnsweredWell(from);
    expectNothingLeaked(from);
  });

  it('answers 120 malformed interactive payloads and event bodies with 4xx or a quiet 200', async () => {
    const from = mark();
    const rand = seededRandom(SEED + 3);
    const templates: (() => Json)[] = [
      () =>
        buildBlockAction({ actions: [{ action_id: 'query_latest_result', value: '1' }] }) as never,
      () =>
        buildBlockAction({
          actions: [{ action_id: 'digest_pause', value: 'x' }],
          view: { id: 'V1', type: 'home' },
        }) as never,
      () => buildViewSubmission({ view: { callback_id: 'query_new' } }) as never,
      () => buildViewSubmission({ view: { callback_id: 'digest_modal' } }) as never,
      () => buildViewSubmission({ view: { callback_id: 'flag_add' } }) as never,
      () => buildShortcut({ callback_id: 'open_sql_in_compose' }) as never,
      () =>
        buildMessageAction({
          callback_id: 'share_latest_result',
          message: { ts: '1.2', text: '<!here>' },
        }) as never,
      () =>
        buildMessageAction({
          callback_id: 'open_sql_in_compose',
          message: { ts: '1.2', text: 'select 1' },
        }) as never,
      () =>
        buildEventEnvelope({
          event: {
            type: 'link_shared',
            channel: SLACK_DEFAULTS.channelId,
            user: DEFAULT_OWNER.userId,
            message_ts: '1700000000.000001',
            links: [{ url: `${t.alation.url}/query/1/`, domain: '127.0.0.1' }],
          },
        }) as never,
      () =>
        buildEventEnvelope({
          event: {
            type: 'app_home_opened',
            user: DEFAULT_OWNER.userId,
            tab: 'home',
            channel: 'D1',
          },
        }) as never,
    ];
    const junk = () => {
      const pick = Math.floor(rand() * 8);
      return [null, 0, -1, [], {}, 'x', hostileString(rand), { nested: [null] }][pick];
    };
    const mutate = (body: Json): unknown => {
      const kind = rand();
      if (kind < 0.08) return junk();
      const paths: string[][] = [];
      const walk = (v: unknown, path: string[]) => {
        if (v === null || typeof v !== 'object' || path.length > 4) return;
        for (const [k, child] of Object.entries(v)) {
          paths.push([...path, k]);
          walk(child, [...path, k]);
        }
      };
      walk(body, []);
      const target = paths[Math.floor(rand() * paths.length)] ?? ['type'];
      let parent: Json = body;
      for (const key of target.slice(0, -1)) parent = parent[key] as Json;
      const last = target.at(-1) as string;
      if (kind < 0.45) delete parent[last];
      else parent[last] = junk();
      return body;
    };
    const bodies = Array.from({ length: 120 }, (_, i) => {
      const template = templates[i % templates.length] as () => Json;
      return mutate(template());
    });
    await pool(bodies, 4, (body) => {
      const isEvent = typeof body === 'object' && body !== null && 'event' in body;
      return send('malformed payload', () =>
        isEvent || rand() < 0.2
          ? postSigned(t.target, JSON.stringify(body), 'application/json')
          : postSigned(
              t.target,
              new URLSearchParams({ payload: JSON.stringify(body) }).toString(),
              'application/x-www-form-urlencoded',
            ),
      );
    });
    expect(await t.inFlight.drain(30_000)).toBe(true);
    const batch = sent.slice(from.sent);
    expect(batch).toHaveLength(120);
    expect(batch.filter((s) => s.status !== 200 && (s.status < 400 || s.status >= 500))).toEqual(
      [],
    );
    expectAnsweredWell(from);
    expectNothingLeaked(from);
  });

  it('markup sent as a plain string in the fallback text never reaches Slack raw', () => {
    // The finder itself must find what it is meant to find, or every check above is empty.
    expect(findHostileMarkup({ text: `hi ${HOSTILE_MARKUP[0]}` })).toHaveLength(1);
    expect(findHostileMarkup({ type: 'plain_text', text: HOSTILE_MARKUP[0] })).toHaveLength(0);
  });
});
