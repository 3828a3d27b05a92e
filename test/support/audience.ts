// #sales for the audience-check tests (issue 18): the sharer (Alation user 7), Ada (8), Bob (9),
// Cy (never connected) and the bot; and pressing a button of the private choice.
import { blockAction } from '../driver.ts';
import { SLACK_DEFAULTS } from '../emulators/slack.ts';
import { DEFAULT_OWNER, type TestBot } from './bot.ts';

export const SALES = 'C0SALES001';
export const ADA = 'U0ADA00001';
export const BOB = 'U0BOB00001';
export const CY = 'U0CY000001';
export const SHARER = SLACK_DEFAULTS.userId;

/** Seeds #sales and connects the sharer, Ada and Bob; Ada may be an Alation admin. */
export async function seedSales(t: TestBot, options: { adaIsAdmin?: boolean } = {}) {
  for (const [id, name] of [
    [ADA, 'ada'],
    [BOB, 'bob'],
    [CY, 'cy'],
  ] as const) {
    t.slack.addUser({ id, name });
  }
  t.slack.addChannel({
    id: SALES,
    name: 'sales',
    members: [SHARER, ADA, BOB, CY, SLACK_DEFAULTS.botUserId],
  });
  await t.connectAlation(DEFAULT_OWNER, 7);
  const ada = await t.connectAlation({ tenantId: DEFAULT_OWNER.tenantId, userId: ADA }, 8);
  // Admins see every query, published or not.
  if (options.adaIsAdmin)
    t.alation.addUser({ id: 8, isAdmin: true, refreshToken: ada.refreshToken });
  await t.connectAlation({ tenantId: DEFAULT_OWNER.tenantId, userId: BOB }, 9);
}

type Block = { type: string; elements?: { action_id?: string; value?: string }[] };

export function buttonValueOf(body: Record<string, unknown>, actionId: string): string {
  for (const block of (body.blocks as Block[] | undefined) ?? []) {
    const found = block.elements?.find((e) => e.action_id === actionId);
    if (found?.value) return found.value;
  }
  throw new Error(`no ${actionId} button`);
}

/** Presses `actionId` on the message `body` (the private choice); returns its response_url. */
export async function clickIn(t: TestBot, body: Record<string, unknown>, actionId: string) {
  const responseUrl = t.slack.responseUrl();
  await blockAction(t.target, {
    actions: [{ action_id: actionId, value: buttonValueOf(body, actionId) }],
    channel: { id: SALES, name: 'sales' },
    response_url: responseUrl,
  });
  return responseUrl;
}
