// `/alation mode runs <account> <report> <run>`: the query runs of one Mode report run.
import type { AllMiddlewareArgs, RespondFn } from '@slack/bolt';
import { modeClientFor } from '../../auth/mode-session.ts';
import { describeRun } from '../../client/mode/ref.ts';
import type { ReportRunRef } from '../../client/mode.ts';
import type { Features } from '../../features.ts';
import type { Logger } from '../../log.ts';
import { userTimeZone } from '../../slack/reply.ts';
import type { Owner } from '../../store/credentials.ts';
import { buildModeRunsMessage } from '../../views/mode-runs.ts';
import type { CommandDeps } from '../command.ts';
import { reportModeFailure } from './shared.ts';

export interface ModeActionInput {
  owner: Owner;
  respond: RespondFn;
  client: AllMiddlewareArgs['client'];
  log: Logger;
}

export async function listModeQueryRuns(
  deps: Pick<CommandDeps, 'features'>,
  ref: ReportRunRef,
  { owner, respond, client, log }: ModeActionInput,
): Promise<void> {
  const name = describeRun(ref);
  let features: Features | undefined;
  try {
    features = await deps.features();
    const mode = await modeClientFor(features, owner);
    const [list, zone] = await Promise.all([
      mode.listQueryRuns(ref),
      userTimeZone(client, owner.userId),
    ]);
    await respond({
      response_type: 'ephemeral',
      replace_original: false,
      ...buildModeRunsMessage({
        ref,
        runs: list._embedded.query_runs,
        modeBaseUrl: features.modeHttp.baseUrl,
        now: features.now(),
        zone,
      }),
    });
    log.info({ queryRuns: list._embedded.query_runs.length }, 'listed Mode query runs');
  } catch (error) {
    await reportModeFailure(error, {
      respond,
      log,
      owner,
      features,
      doing: `list the query runs of Mode report run \`${name}\``,
      notFound: (e) =>
        `Mode found no report run \`${name}\` that your Mode token can see (tried \`${e.method} ${e.path}\`). Check the workspace name and the report and run tokens in the run's URL, or paste the URL itself.`,
    });
  }
}
