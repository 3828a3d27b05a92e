// `/alation sync <datasource_id> <schema> <table> [view]`, or with no arguments a form: asks
// Alation to read one table's metadata from its database now (POST /api/v1/table/sync/, as the
// user), then shows the table's card in the channel. Every row of the API's error table gets
// its own message (views/sync.ts); input Alation would reject is caught here first.
import type { App } from '@slack/bolt';
import { ownerOf } from '../auth/owner.ts';
import type { SyncedTable } from '../client/alation.ts';
import { isUpstreamError, NotConnectedError } from '../client/errors.ts';
import type { Logger } from '../log.ts';
import { requestContext } from '../middleware/request-context.ts';
import { reportFailure } from '../slack/failure.ts';
import { modalOriginSchema, readMetadata, settle, submitModal } from '../slack/modal-submission.ts';
import { announce } from '../slack/reply.ts';
import type { Owner } from '../store/credentials.ts';
import { escapeMrkdwn } from '../views/blocks.ts';
import {
  ACTION_SYNC_OPEN_TABLE,
  BLOCK_SYNC_DATASOURCE,
  buildSyncedModal,
  buildSyncedTableMessage,
  buildSyncFailureMessage,
  buildSyncingModal,
  buildSyncModal,
  buildSyncUsageMessage,
  type SyncRequest,
  syncFailureErrors,
  syncFailureText,
  VIEW_SYNC,
} from '../views/sync.ts';
import type { Command, CommandDeps } from './command.ts';
import { classifySyncError } from './sync/classify.ts';
import { checkSyncForm, parseSyncArgs, readSyncForm, type SyncViewState } from './sync/parse.ts';

interface SyncMetadata {
  responseUrl?: string;
  channelId?: string;
}

function logFailure(log: Logger, error: unknown): void {
  if (isUpstreamError(error)) log.warn({ upstream: error.toLog() }, 'could not sync a table');
  else if (!(error instanceof NotConnectedError)) {
    log.error({ err: error }, 'could not sync a table');
  }
}

const described = (request: SyncRequest) =>
  `${request.tableType === 'VIEW' ? 'view' : 'table'} ${request.schema}.${request.table}`;

/** A failure next to the form's fields; says nothing was synced when it is not one of ours. */
export function syncOutcomeErrors(error: unknown, request: SyncRequest): Record<string, string> {
  const failure = classifySyncError(error);
  if (failure) return syncFailureErrors(failure, request);
  if (error instanceof NotConnectedError) {
    return {
      [BLOCK_SYNC_DATASOURCE]:
        'Your Alation account is not connected (or needs reconnecting): run `/alation login`, then try again. Nothing was synced.',
    };
  }
  const reason = isUpstreamError(error)
    ? error.message
    : 'Something went wrong on the bot’s side; it has been logged.';
  return { [BLOCK_SYNC_DATASOURCE]: `Could not sync ${described(request)}. ${reason}` };
}

export function syncCommand(deps: CommandDeps, options: { ackBudgetMs?: number } = {}): Command {
  const sync = (owner: Owner, request: SyncRequest): Promise<SyncedTable> =>
    deps
      .features()
      .then((f) => f.requireAlation(owner))
      .then((alation) =>
        alation.tables.sync({
          datasource_id: request.datasourceId,
          schema: request.schema,
          table: request.table,
          table_type: request.tableType,
        }),
      );

  const card = (table: SyncedTable, request: SyncRequest, owner: Owner) =>
    buildSyncedTableMessage({
      table,
      request,
      alationBaseUrl: deps.alationBaseUrl,
      requestedBy: owner.userId,
    });

  return {
    name: 'sync',
    usage: '<datasource_id> <schema> <table> [view]',
    summary:
      'Sync one table’s metadata from its database into Alation now (Alation admins), and show its card. No arguments: a form.',
    example: '/alation sync 8 main.dbo foobar view',
    async run({ ack, respond, command, client, args, log }) {
      const parsed = parseSyncArgs(args);
      if (parsed.kind === 'problem') {
        await ack({ response_type: 'ephemeral', ...buildSyncUsageMessage(parsed.problem) });
        return;
      }
      const owner = ownerOf(command);
      if (parsed.kind === 'form') {
        await ack();
        try {
          const features = await deps.features();
          await features.requireAlation(owner);
          const metadata: SyncMetadata = {
            responseUrl: command.response_url,
            channelId: command.channel_id,
          };
          await client.views.open({
            trigger_id: command.trigger_id,
            view: buildSyncModal({ privateMetadata: JSON.stringify(metadata) }),
          });
        } catch (error) {
          await reportFailure(error, respond, log, 'open the sync form');
        }
        return;
      }
      const { request } = parsed;
      await ack({
        response_type: 'ephemeral',
        text: `:hourglass_flowing_sand: Asking Alation to sync ${escapeMrkdwn(described(request))} from data source ${request.datasourceId}…`,
      });
      const outcome = await settle(sync(owner, request));
      if (outcome.ok) {
        log.info(
          { datasourceId: request.datasourceId, tableId: outcome.value.id },
          'synced a table',
        );
        await respond({ response_type: 'in_channel', ...card(outcome.value, request, owner) });
        return;
      }
      const failure = classifySyncError(outcome.error);
      if (!failure) {
        await reportFailure(
          outcome.error,
          respond,
          log,
          `sync ${escapeMrkdwn(described(request))}`,
        );
        return;
      }
      logFailure(log, outcome.error);
      await respond({ response_type: 'ephemeral', ...buildSyncFailureMessage(failure, request) });
    },

    register(app: App) {
      // A link button still sends an action; there is nothing to do but acknowledge it.
      app.action(ACTION_SYNC_OPEN_TABLE, async ({ ack }) => {
        await ack();
      });
      app.view(VIEW_SYNC, async ({ ack, body, view, client, context }) => {
        const log = requestContext(context).log;
        const owner = ownerOf(body);
        const form = readSyncForm(view.state.values as SyncViewState);
        const checked = checkSyncForm(form);
        if (!checked.ok) {
          await ack({ response_action: 'errors', errors: checked.errors });
          return;
        }
        const { request } = checked;
        const metadata: SyncMetadata = readMetadata(view.private_metadata, modalOriginSchema, {});
        const outcome = await submitModal({
          ack,
          client,
          viewId: view.id,
          budgetMs: options.ackBudgetMs,
          work: sync(owner, request),
          inline: (early) => {
            if (early.ok) return undefined;
            logFailure(log, early.error);
            return { response_action: 'errors', errors: syncOutcomeErrors(early.error, request) };
          },
          progress: () => buildSyncingModal(request),
          final: (late) => {
            if (late.ok) return buildSyncedModal(late.value);
            logFailure(log, late.error);
            const failure = classifySyncError(late.error);
            return buildSyncModal({
              privateMetadata: view.private_metadata,
              values: form,
              problem: failure
                ? syncFailureText(failure, request)
                : Object.values(syncOutcomeErrors(late.error, request)).join(' '),
            });
          },
        });
        if (outcome.ok) {
          await announce(client, owner.userId, metadata, card(outcome.value, request, owner), log);
        }
      });
    },
  };
}
