// `/alation mode run <account> <report> <run> <query_run>` and the Details button: one query run
// with its SQL, inline when short, as .sql files in the conversation when long.

import { modeClientFor } from '../../auth/mode-session.ts';
import { describeRun, type QueryRunRef } from '../../client/mode/ref.ts';
import type { Features } from '../../features.ts';
import { userTimeZone } from '../../slack/reply.ts';
import { uploadFile } from '../../slack/upload.ts';
import {
  buildModeRunDetails,
  modeCsvFileName,
  type SqlPlacement,
  sqlFitsInline,
  sqlOf,
} from '../../views/mode-run.ts';
import type { CommandDeps } from '../command.ts';
import type { ModeActionInput } from './runs.ts';
import { reportModeFailure } from './shared.ts';

export async function showModeQueryRun(
  deps: Pick<CommandDeps, 'features'>,
  ref: QueryRunRef,
  /** Where long SQL is attached: the conversation the command or button came from. */
  channelId: string,
  { owner, respond, client, log }: ModeActionInput,
): Promise<void> {
  const name = describeRun(ref);
  let features: Features | undefined;
  try {
    features = await deps.features();
    const mode = await modeClientFor(features, owner);
    const [run, zone] = await Promise.all([
      mode.getQueryRun(ref),
      userTimeZone(client, owner.userId),
    ]);
    let sql: SqlPlacement = { kind: 'inline' };
    if (!sqlFitsInline(run)) {
      const { rendered, raw } = sqlOf(run);
      const base = modeCsvFileName(run).replace(/\.csv$/, '');
      const files = [
        ...(rendered === undefined
          ? []
          : [{ name: `${base}.sql`, text: rendered, what: 'as it ran' }]),
        ...(raw === undefined
          ? []
          : [
              {
                name: rendered === undefined ? `${base}.sql` : `${base}.raw.sql`,
                text: raw,
                what: 'as written',
              },
            ]),
      ];
      try {
        for (const file of files) {
          await uploadFile(client, {
            channelId,
            filename: file.name,
            title: `SQL of ${run.query_name ?? `query run ${run.token}`} (${file.what})`,
            content: { bytes: Buffer.from(file.text, 'utf8') },
            initialComment: `SQL of Mode query run ${run.token} (${file.what}, ${file.text.split('\n').length} lines)`,
          });
        }
        sql = { kind: 'files', files: files.map((f) => f.name) };
      } catch (error) {
        log.warn({ err: error }, 'attaching the Mode SQL file failed');
        sql = { kind: 'not_attached' };
      }
    }
    await respond({
      response_type: 'ephemeral',
      replace_original: false,
      ...buildModeRunDetails({
        ref,
        run,
        sql,
        modeBaseUrl: features.modeHttp.baseUrl,
        now: features.now(),
        zone,
      }),
    });
  } catch (error) {
    await reportModeFailure(error, {
      respond,
      log,
      owner,
      features,
      doing: `get query run \`${ref.queryRun}\` of Mode report run \`${name}\``,
      notFound: (e) =>
        /query ?run/i.test(e.detail ?? '') && !/report ?run/i.test(e.detail ?? '')
          ? `Mode found no query run \`${ref.queryRun}\` in report run \`${name}\` (tried \`${e.method} ${e.path}\`). \`/alation mode runs ${ref.account} ${ref.report} ${ref.run}\` lists the run's query runs.`
          : `Mode found no report run \`${name}\` that your Mode token can see (tried \`${e.method} ${e.path}\`). Check the workspace name and the report and run tokens in the run's URL.`,
    });
  }
}
