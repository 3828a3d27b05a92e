// The digest form as a person fills it in: open it with `/alation digest new`, then submit it
// with the answers Slack would put in view.state.values. Shared by the e2e suites that save
// digests through the modal.
import { slashCommand, viewSubmission } from '../driver.ts';
import { SLACK_DEFAULTS } from '../emulators/slack.ts';
import type { TestBot } from './bot.ts';

type Json = Record<string, unknown>;
export type OpenedView = Json & { id: string };

/** What the person enters; a query-result digest on a cron unless `modeReport` is given. */
export interface DigestFormAnswers {
  /** Default "Morning sales". */
  name?: string;
  /** Default the driver's channel. */
  channel?: string;
  /** The query of a query-result digest, as typed (its latest result is posted with its CSV). */
  query?: string;
  /** A Mode report link: a Mode report-runs digest instead, of the `modeOnly` runs. */
  modeReport?: string;
  modeOnly?: 'all' | 'failed' | 'succeeded';
  /** A 5-field cron, default "0 9 * * 1-5"; ignored when `dailyAt` is set. */
  cron?: string;
  /** Daily at this HH:MM instead of a cron. */
  dailyAt?: string;
  /** Default "Europe/Berlin". */
  zone?: string;
}

/** A plain_text_input's state value, and a static_select's. */
export const textInput = (value: string) => ({ type: 'plain_text_input', value });
export const selectedOption = (value: string) => ({
  type: 'static_select',
  selected_option: { value },
});

/** `/alation digest new`, resolved with the form once Slack opened it. */
export async function openDigestForm(
  t: TestBot,
): Promise<{ view: OpenedView; responseUrl: string }> {
  const opened = t.slack.callsTo('views.open').length;
  const responseUrl = t.slack.responseUrl();
  await slashCommand(t.target, { text: 'digest new', response_url: responseUrl });
  const [call] = (await t.slack.waitFor('views.open', { count: opened + 1 })).slice(-1);
  const view = (call?.response as { view?: OpenedView } | undefined)?.view;
  if (!view) throw new Error('views.open returned no view');
  return { view, responseUrl };
}

/** The form's state.values for these answers. */
export function digestFormValues(answers: DigestFormAnswers): Json {
  const what =
    answers.modeReport === undefined
      ? {
          digest_kind: { digest_refresh: selectedOption('query_result') },
          digest_query: { value: textInput(answers.query ?? '') },
          digest_query_options: {
            // As Slack sends the form's defaults: the CSV and the chart (issue 16) ticked.
            value: {
              type: 'checkboxes',
              selected_options: [{ value: 'attach_csv' }, { value: 'include_chart' }],
            },
          },
        }
      : {
          digest_kind: { digest_refresh: selectedOption('mode_runs') },
          digest_mode_report: { value: textInput(answers.modeReport) },
          digest_mode_only: { value: selectedOption(answers.modeOnly ?? 'failed') },
        };
  const when =
    answers.dailyAt === undefined
      ? {
          digest_schedule: { digest_refresh: selectedOption('cron') },
          digest_cron: { digest_refresh: textInput(answers.cron ?? '0 9 * * 1-5') },
        }
      : {
          digest_schedule: { digest_refresh: selectedOption('daily') },
          digest_time: { digest_refresh: textInput(answers.dailyAt) },
        };
  return {
    digest_name: { value: textInput(answers.name ?? 'Morning sales') },
    digest_channel: {
      value: {
        type: 'conversations_select',
        selected_conversation: answers.channel ?? SLACK_DEFAULTS.channelId,
      },
    },
    ...what,
    ...when,
    digest_zone: { digest_refresh: textInput(answers.zone ?? 'Europe/Berlin') },
  };
}

/** Submits the opened form with these answers; resolves with Slack's view of the app's ack. */
export function submitDigestForm(t: TestBot, view: OpenedView, answers: DigestFormAnswers) {
  return viewSubmission(t.target, {
    view: { ...view, state: { values: digestFormValues(answers) } as never },
  });
}
