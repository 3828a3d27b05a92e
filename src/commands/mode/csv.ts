// The CSV button: a finished query run's result, streamed from Mode (gunzipped if it came
// gzipped) into the conversation as a file, with a preview, the way query results are shared.

import { modeClientFor } from '../../auth/mode-session.ts';
import { chartFileName, chartTap } from '../../charts/service.ts';
import { describeRun, type QueryRunRef } from '../../client/mode/ref.ts';
import { isRunDone } from '../../client/mode.ts';
import type { Features } from '../../features.ts';
import { relayCsv } from '../../results/relay.ts';
import { userTimeZone } from '../../slack/reply.ts';
import { escapeMrkdwn } from '../../views/blocks.ts';
import { buildModeCsvMessage, buildModeNotice, modeCsvFileName } from '../../views/mode-run.ts';
import { queryName, stateBadge } from '../../views/mode-runs.ts';
import type { CommandDeps } from '../command.ts';
import type { ModeActionInput } from './runs.ts';
import { reportModeFailure } from './shared.ts';

export async function shareModeQueryRunCsv(
  deps: Pick<CommandDeps, 'features'>,
  ref: QueryRunRef,
  target: { channelId: string; threadTs: string | undefined },
  { owner, respond, client, log }: ModeActionInput,
): Promise<void> {
  const name = describeRun(ref);
  let features: Features | undefined;
  // Which call a 404 came from: the query run itself, or its result.
  let step: 'run' | 'result' = 'run';
  try {
    features = await deps.features();
    const mode = await modeClientFor(features, owner);
    const [run, zone] = await Promise.all([
      mode.getQueryRun(ref),
      userTimeZone(client, owner.userId),
    ]);
    if (!isRunDone(run.state)) {
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        ...buildModeNotice(
          `${stateBadge(run.state)}: *${escapeMrkdwn(queryName(run))}* has no result to share; Mode keeps a CSV only for runs that succeeded.`,
        ),
      });
      return;
    }
    step = 'result';
    const csv = await mode.queryRunCsv(run);
    const filename = modeCsvFileName(run);
    const modeBaseUrl = features.modeHttp.baseUrl;
    const now = features.now();
    const title = queryName(run);
    const stream = features.charts.open({ zone, title, truncated: false, rowCount: undefined });
    const chart = stream && chartTap(stream, chartFileName(filename), `${title} (chart)`, log);
    const shared = await relayCsv(
      client,
      { ...target, filename, title: `${queryName(run)} (Mode query run ${run.token})` },
      csv,
      (preview, bytes) =>
        buildModeCsvMessage({
          run,
          modeBaseUrl,
          now,
          zone,
          preview: { ...preview, bytes, filename },
        }),
      chart,
    );
    if (!shared.ok) {
      log.warn({ slackError: shared.slackError }, 'Slack refused the Mode CSV here');
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: 'I could not share the CSV in this conversation. Invite me (`/invite @Alation`) and try again.',
      });
      return;
    }
    log.info({ queryRun: run.token }, 'shared a Mode query run CSV');
  } catch (error) {
    await reportModeFailure(error, {
      respond,
      log,
      owner,
      features,
      doing: `share the CSV of Mode query run \`${ref.queryRun}\``,
      notFound: (e) =>
        step === 'result'
          ? `Mode has no result CSV for query run \`${ref.queryRun}\` (tried \`${e.method} ${e.path}\`); it may have expired. Run the report again in Mode.`
          : `Mode found no query run \`${ref.queryRun}\` in report run \`${name}\` (tried \`${e.method} ${e.path}\`).`,
    });
  }
}
