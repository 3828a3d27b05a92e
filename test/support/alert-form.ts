// The alert form as a person fills it in: open it with `/alation alert new`, then refresh or
// submit it with the answers Slack would put in view.state.values. Shared by the e2e suites
// that save alerts through the modal.
import { slashCommand, viewSubmission } from '../driver.ts';
import { SLACK_DEFAULTS } from '../emulators/slack.ts';
import type { TestBot } from './bot.ts';
import { selectedOption, textInput } from './digest-form.ts';

export type Json = Record<string, unknown> & { id: string };

export interface AlertFormAnswers {
  query: string;
  kind?: string;
  column?: string;
  op?: string;
  threshold?: string;
  name?: string;
  /** Default the driver's channel. */
  channel?: string;
  /** To each subscriber, as themselves. */
  personal?: boolean;
  /** Only me, in a DM. */
  onlyMe?: boolean;
}

/** `/alation alert new …`, resolved with the form once Slack opened it. */
export async function openAlertForm(
  t: TestBot,
  text: string,
  channelId: string = SLACK_DEFAULTS.channelId,
): Promise<{ view: Json; responseUrl: string }> {
  const before = t.slack.callsTo('views.open').length;
  const responseUrl = t.slack.responseUrl();
  await slashCommand(t.target, { text, response_url: responseUrl, channel_id: channelId });
  const [call] = (await t.slack.waitFor('views.open', { count: before + 1 })).slice(-1);
  const view = (call?.response as { view?: Json } | undefined)?.view;
  if (!view) throw new Error('no view opened');
  return { view, responseUrl };
}

export function alertFormValues(answers: AlertFormAnswers) {
  const personal = { value: 'personal' };
  return {
    alert_query: { alert_refresh: textInput(answers.query) },
    alert_name: { value: textInput(answers.name ?? 'Big orders') },
    alert_kind: { alert_refresh: selectedOption(answers.kind ?? 'column') },
    alert_column: { value: selectedOption(answers.column ?? 'amount') },
    alert_reducer: { value: selectedOption('max') },
    alert_op: { value: selectedOption(answers.op ?? '>') },
    alert_threshold: { value: textInput(answers.threshold ?? '100') },
    alert_channel: {
      alert_refresh: {
        type: 'conversations_select',
        selected_conversation: answers.channel ?? SLACK_DEFAULTS.channelId,
      },
    },
    alert_only_me: {
      value: {
        type: 'checkboxes',
        selected_options: answers.onlyMe ? [{ value: 'only_me' }] : [],
      },
    },
    alert_personal: {
      value: { type: 'checkboxes', selected_options: answers.personal ? [personal] : [] },
    },
    alert_every: { value: selectedOption('5') },
  };
}

export const submitAlertForm = (t: TestBot, view: Json, answers: AlertFormAnswers) =>
  viewSubmission(t.target, {
    view: { ...view, state: { values: alertFormValues(answers) } as never },
  });
