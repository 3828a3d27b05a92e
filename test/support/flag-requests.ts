// The world of the trust-flag request e2e tests (issue 20): a bot with pg-boss, Alice (Alation
// user 7, may not set flags), stewards Bob (8) and Dave (10), Carol (9, may not set flags either),
// a stewards' channel the bot is in, a table to flag, and the steps people take, over HTTP.
import { expect } from 'vitest';
import type { FlagType } from '../../src/client/alation.ts';
import { blockAction, type SlackTarget, slashCommand, viewSubmission } from '../driver.ts';
import type { EmulatedMessage } from '../emulators/slack.ts';
import { SLACK_DEFAULTS } from '../emulators/slack.ts';
import { DEFAULT_OWNER, startTestBot, type TestBot } from './bot.ts';
import { nextResponse } from './respond.ts';

type Json = Record<string, unknown>;
export type User = { id: string; name: string };

export const ALICE: User = { id: SLACK_DEFAULTS.userId, name: SLACK_DEFAULTS.userName };
export const BOB: User = { id: 'U0USER0002', name: 'bob' };
export const CAROL: User = { id: 'U0USER0003', name: 'carol' };
export const DAVE: User = { id: 'U0USER0004', name: 'dave' };
export const STEWARDS = 'C0STEWARDS';
export const owner = (u: User) => ({ tenantId: SLACK_DEFAULTS.teamId, userId: u.id });

export const buttonsOf = (message: { blocks?: unknown[] }) =>
  ((message.blocks ?? []) as Json[]).flatMap((b) =>
    b.type === 'actions' ? (b.elements as Json[]) : [],
  );
export const actionIds = (message: { blocks?: unknown[] }) =>
  buttonsOf(message).map((b) => b.action_id);

export interface RequestInput {
  otype?: string;
  id?: string;
  type?: FlagType;
  reason?: string;
  reviewer?: string;
  channel?: string;
}

/** The request form's state as Slack sends it on submission. */
export function requestState(input: RequestInput) {
  const text = (value: string | undefined) => ({ type: 'plain_text_input', value: value ?? null });
  return {
    values: {
      flag_otype: { value: text(input.otype) },
      flag_subject_id: { value: text(input.id) },
      flag_type: {
        flag_request_type_choice: {
          type: 'radio_buttons',
          selected_option: input.type
            ? { value: input.type, text: { type: 'plain_text', text: input.type } }
            : null,
        },
      },
      ...(input.reason === undefined ? {} : { flag_reason: { value: text(input.reason) } }),
      flag_request_reviewer: {
        pick: { type: 'users_select', selected_user: input.reviewer ?? null },
      },
      flag_request_channel: {
        pick: { type: 'conversations_select', selected_conversation: input.channel ?? null },
      },
    },
  } as never;
}

/** Starts a fresh world per test (`start`), and the steps, bound to whichever world is running. */
export function flagRequestWorld() {
  let t: TestBot | undefined;
  let orders = 0;
  const bot = () => {
    if (!t) throw new Error('the flag request world is not started');
    return t;
  };

  async function start(): Promise<{ t: TestBot; orders: number }> {
    const started = await startTestBot({ jobs: {} });
    t = started;
    for (const u of [BOB, CAROL, DAVE]) started.slack.addUser({ id: u.id, name: u.name });
    started.slack.addChannel({ id: STEWARDS, name: 'data-stewards', is_member: true });
    const warehouse = started.alation.addDataSource({ title: 'Warehouse' }).id;
    orders = started.alation.addTable({
      datasourceId: warehouse,
      schema: 'public',
      name: 'orders',
    }).id;
    await started.connectAlation(DEFAULT_OWNER, 7);
    mayNotFlag(7);
    await started.connectAlation(owner(BOB), 8);
    await started.connectAlation(owner(CAROL), 9);
    mayNotFlag(9);
    await started.connectAlation(owner(DAVE), 10);
    return { t: started, orders };
  }

  function mayNotFlag(alationUserId: number) {
    const user = bot().alation.state.users.get(alationUserId);
    if (!user) throw new Error(`no Alation user ${alationUserId}`);
    user.canEditFlags = false;
  }

  const flagPosts = () => bot().alation.requestsTo('POST', '/integration/flag/');

  /** Waits for the next views.open and returns the view Slack stored. */
  async function nextOpenedView(before: number): Promise<Json & { id: string }> {
    const [call] = (await bot().slack.waitFor('views.open', { count: before + 1 })).slice(-1);
    const view = (call?.response as { view?: Json & { id: string } } | undefined)?.view;
    if (!view) throw new Error('views.open returned no view');
    return view;
  }

  async function openRequestForm(args: string) {
    const before = bot().slack.callsTo('views.open').length;
    const ack = await slashCommand(bot().target, {
      text: `flag request ${args}`,
      response_url: bot().slack.responseUrl(),
    });
    expect(ack.status).toBe(200);
    return await nextOpenedView(before);
  }

  /** Alice asks; resolves once the card and her receipt are posted. */
  async function request(input: RequestInput) {
    const view = await openRequestForm(`table ${orders}`);
    const ack = await viewSubmission(bot().target, {
      view: { ...view, state: requestState({ otype: 'table', id: String(orders), ...input }) },
    });
    expect(ack.status).toBe(200);
    return { view, ack: ack.body as Json };
  }

  async function cardIn(channel: string): Promise<EmulatedMessage> {
    return bot().slack.waitUntil(() =>
      bot()
        .slack.messages(channel)
        .find((m) => m.text.startsWith('Trust flag request')),
    );
  }

  async function press(
    actionId: string,
    message: EmulatedMessage,
    user: User,
    value = String(buttonsOf(message).find((b) => b.action_id === actionId)?.value),
    /** Another replica's address; the world's own bot by default. */
    target: SlackTarget = bot().target,
  ) {
    const responseUrl = bot().slack.responseUrl();
    const ack = await blockAction(target, {
      user,
      channel: { id: message.channel },
      message: { ts: message.ts, blocks: message.blocks ?? [] },
      actions: [{ action_id: actionId, value }],
      response_url: responseUrl,
    });
    expect(ack.status).toBe(200);
    return { responseUrl, reply: () => nextResponse(bot(), responseUrl) };
  }

  /** The card as Slack holds it now (after the bot's chat.update calls). */
  const current = (m: EmulatedMessage) => bot().slack.message(m.channel, m.ts) as EmulatedMessage;
  const requestRow = async () => {
    const [row] = await bot().db.query<{ id: string }>('SELECT id FROM flag_requests');
    return bot().features.flagRequests.get(row?.id ?? '');
  };
  const dmsTo = (u: User) => bot().slack.messages(bot().slack.dmChannel(u.id));

  return {
    start,
    stop: () => bot().stop(),
    flagPosts,
    openRequestForm,
    nextOpenedView,
    request,
    cardIn,
    press,
    current,
    requestRow,
    dmsTo,
  };
}
