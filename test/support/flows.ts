import type { SlackCall } from '../emulators/slack.ts';
import type { TestBot } from './bot.ts';

type Json = Record<string, unknown>;

/** The modal the app opened with `callbackId` (or, by default, the latest), as Slack stored it. */
export async function openedView(t: TestBot, callbackId?: string): Promise<Json & { id: string }> {
  const [call] = (
    await t.slack.waitFor('views.open', {
      where: (c: SlackCall) =>
        callbackId === undefined || (c.args.view as Json | undefined)?.callback_id === callbackId,
    })
  ).slice(-1);
  const view = (call?.response as { view?: Json & { id: string } } | undefined)?.view;
  if (!view) throw new Error(`views.open for ${callbackId} returned no view`);
  return view;
}

/** All text in a Block Kit structure, for asserting what a person would read. */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(textOf).join('\n');
  if (value && typeof value === 'object') {
    return Object.entries(value)
      .filter(([k]) =>
        ['text', 'blocks', 'elements', 'fields', 'title', 'label', 'hint'].includes(k),
      )
      .map(([, v]) => textOf(v))
      .join('\n');
  }
  return '';
}

/** Values every sealed secret check looks for, in the forms a leak could take. */
export function leakForms(secret: string): string[] {
  return [secret, Buffer.from(secret).toString('hex'), Buffer.from(secret).toString('base64')];
}
