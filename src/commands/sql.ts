import type { AllMiddlewareArgs, RespondFn } from '@slack/bolt';
import { ownerOf } from '../auth/owner.ts';
import { queryUrl } from '../client/alation/links.ts';
import type { Logger } from '../log.ts';
import { reportFailure } from '../slack/failure.ts';
import { uploadFile } from '../slack/upload.ts';
import type { Owner } from '../store/credentials.ts';
import { echo, escapeMrkdwn } from '../views/blocks.ts';
import { buildSqlMessage, INLINE_SQL_LIMIT } from '../views/sql.ts';
import type { Command, CommandDeps } from './command.ts';

/** `42`, or a pasted Alation link such as https://alation.example.com/query/42/. */
export function parseQueryId(args: string): number | undefined {
  const text = args.trim();
  const match = /^(\d{1,12})$/.exec(text) ?? /\/query\/(\d{1,12})(?:\/|$)/.exec(text);
  const id = match?.[1] ? Number(match[1]) : undefined;
  return id && id > 0 ? id : undefined;
}

export function sqlCommand(deps: CommandDeps): Command {
  return {
    name: 'sql',
    usage: '<query_id>',
    summary: 'Post the SQL of a Compose query: inline when short, as a .sql file when long.',
    example: '/alation sql 42',
    async run({ ack, respond, command, client, args, log }) {
      const queryId = parseQueryId(args);
      if (queryId === undefined) {
        await ack({
          response_type: 'ephemeral',
          text: args
            ? `${echo(args)} is not a query id. Use the number from the query's URL, e.g. \`/alation sql 42\`.`
            : 'Which query? Give its id, e.g. `/alation sql 42`.',
        });
        return;
      }
      await ack();
      await postQuerySql(deps, {
        owner: ownerOf(command),
        queryId,
        channelId: command.channel_id,
        respond,
        client,
        log,
      });
    },
  };
}

export interface PostSqlInput {
  owner: Owner;
  queryId: number;
  /** Where a long query's .sql file is shared. */
  channelId: string;
  respond: RespondFn;
  client: AllMiddlewareArgs['client'];
  log: Logger;
}

/**
 * Posts a query's SQL to the conversation: inline when short, as a .sql file when long. Shared
 * by `/alation sql` and the SQL button on a query's details card.
 */
export async function postQuerySql(
  deps: Pick<CommandDeps, 'features' | 'alationBaseUrl'>,
  { owner, queryId, channelId, respond, client, log }: PostSqlInput,
): Promise<void> {
  try {
    const features = await deps.features();
    const alation = await features.requireAlation(owner);
    const sql = await alation.queries.sql(queryId);
    const pageUrl = queryUrl(deps.alationBaseUrl, queryId);
    // Measured as it will be sent: escaping `<`, `>` and `&` makes SQL longer.
    if (escapeMrkdwn(sql).length <= INLINE_SQL_LIMIT) {
      await respond({
        response_type: 'in_channel',
        ...buildSqlMessage({ queryId, sql, queryUrl: pageUrl }),
      });
      return;
    }
    try {
      await uploadFile(client, {
        channelId,
        filename: `query-${queryId}.sql`,
        title: `SQL of query ${queryId}`,
        content: { bytes: Buffer.from(sql, 'utf8') },
        initialComment: `SQL of query ${queryId} (${sql.split('\n').length} lines): ${pageUrl}`,
      });
    } catch (error) {
      log.warn({ err: error }, 'uploading the SQL file failed');
      await respond({
        response_type: 'ephemeral',
        text: `The SQL of query ${queryId} is too long to post inline, and I could not attach it as a file here. Invite me to this channel (\`/invite @Alation\`) and try again, or open it in Alation: ${pageUrl}`,
      });
    }
  } catch (error) {
    await reportFailure(error, respond, log, `get the SQL of query ${queryId}`);
  }
}
