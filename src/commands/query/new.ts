// `/alation query new [datasource_id]`: the Create Query modal, its submission, and the
// announcement in the conversation it was opened from.
import type { AllMiddlewareArgs, App } from '@slack/bolt';
import { ownerOf } from '../../auth/owner.ts';
import type { CreatedQuery } from '../../client/alation.ts';
import { BadRequestError, isUpstreamError, NotConnectedError } from '../../client/errors.ts';
import type { Logger } from '../../log.ts';
import { requestContext } from '../../middleware/request-context.ts';
import { reportFailure } from '../../slack/failure.ts';
import { modalOriginSchema, readMetadata, submitModal } from '../../slack/modal-submission.ts';
import type { Owner } from '../../store/credentials.ts';
import { echo } from '../../views/blocks.ts';
import {
  ACTION_OPEN_CATALOG,
  ACTION_OPEN_COMPOSE,
  buildCreatedMessage,
  titleOf,
} from '../../views/query.ts';
import {
  BLOCK_DATASOURCE,
  BLOCK_SQL,
  buildCreatedModal,
  buildCreatingModal,
  buildNewQueryModal,
  VIEW_QUERY_NEW,
} from '../../views/query-modal.ts';
import { checkedAnnouncements, type RenderAnnouncement } from '../announce-checked.ts';
import type { CommandDeps, CommandInput } from '../command.ts';
import {
  checkForm,
  type FormErrors,
  fieldErrorsToForm,
  readForm,
  type ViewStateValues,
} from './form.ts';

type Client = AllMiddlewareArgs['client'];

const LAST_DATASOURCE = 'query.last_datasource_id';

/** Where the command ran, so the new query can be announced there. */
interface NewQueryMetadata {
  responseUrl?: string;
  channelId?: string;
}

/** The remembered data source, when it is still a plausible id. */
function rememberedId(value: unknown): string | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0
    ? String(value)
    : undefined;
}

/** What went wrong, next to the field it concerns; always says that nothing was created. */
export function outcomeErrors(error: unknown): FormErrors {
  if (error instanceof BadRequestError && Object.keys(error.fieldErrors).length > 0) {
    return fieldErrorsToForm(error.fieldErrors);
  }
  if (error instanceof NotConnectedError) {
    return {
      [BLOCK_DATASOURCE]:
        'Your Alation account is not connected (or needs reconnecting): run `/alation login`, then try again. Nothing was created.',
    };
  }
  const reason = isUpstreamError(error)
    ? error.message
    : 'Something went wrong on the bot’s side; it has been logged.';
  return { [BLOCK_SQL]: `Could not create the query. ${reason} Nothing was created.` };
}

function logFailure(log: Logger, error: unknown): void {
  if (isUpstreamError(error)) log.warn({ upstream: error.toLog() }, 'could not create a query');
  else if (!(error instanceof NotConnectedError)) {
    log.error({ err: error }, 'could not create a query');
  }
}

/** The announcement of a new query: its title and SQL, so it is checked against the query. */
function createdAnnouncement(deps: CommandDeps, query: CreatedQuery, by: string) {
  const message = buildCreatedMessage({
    query,
    alationBaseUrl: deps.alationBaseUrl,
    creatorUserId: by,
  });
  return { message, object: { kind: 'query' as const, id: query.id }, title: titleOf(query) };
}

export function newQueryAction(deps: CommandDeps, options: { ackBudgetMs?: number } = {}) {
  // Read again with someone's own access: "Share anyway" (the creator), or each reader's DM.
  const render: RenderAnnouncement = async (alation, announced) =>
    createdAnnouncement(deps, await alation.queries.get(announced.id), announced.by);
  const announcements = checkedAnnouncements(deps, 'query', render);

  async function succeeded(
    client: Client,
    owner: Owner,
    query: CreatedQuery,
    metadata: NewQueryMetadata,
    log: Logger,
  ): Promise<void> {
    const features = await deps.features();
    try {
      await features.prefs.set(owner, LAST_DATASOURCE, query.datasource_id);
    } catch (error) {
      // Only a convenience for next time; the query exists either way.
      log.warn({ err: error }, 'could not remember the data source');
    }
    await announcements.announce({
      client,
      owner,
      where: metadata,
      rendered: createdAnnouncement(deps, query, owner.userId),
      id: query.id,
      log,
    });
  }

  return {
    /** `args` is what follows `new`: an optional data source id. */
    async run({ ack, respond, command, client, log }: CommandInput, args: string) {
      if (args !== '' && !/^\d{1,12}$/.test(args)) {
        await ack({
          response_type: 'ephemeral',
          text: `${echo(args)} is not a data source id. Use the number in its Alation URL (/data/7/ → 7), e.g. \`/alation query new 7\`, or leave it out.`,
        });
        return;
      }
      await ack();
      const owner = ownerOf(command);
      try {
        const features = await deps.features();
        await features.requireAlation(owner);
        const datasourceId =
          args !== '' ? args : rememberedId(await features.prefs.get(owner, LAST_DATASOURCE));
        const metadata: NewQueryMetadata = {
          responseUrl: command.response_url,
          channelId: command.channel_id,
        };
        await client.views.open({
          trigger_id: command.trigger_id,
          view: buildNewQueryModal({
            privateMetadata: JSON.stringify(metadata),
            values: datasourceId ? { datasourceId } : {},
          }),
        });
      } catch (error) {
        await reportFailure(error, respond, log, 'open the new query form');
      }
    },

    register(app: App) {
      announcements.register(app);
      // Link buttons still send an action; there is nothing to do but acknowledge it.
      app.action(ACTION_OPEN_COMPOSE, async ({ ack }) => {
        await ack();
      });
      app.action(ACTION_OPEN_CATALOG, async ({ ack }) => {
        await ack();
      });
      app.view(VIEW_QUERY_NEW, async ({ ack, body, view, client, context }) => {
        const log = requestContext(context).log;
        const owner = ownerOf(body);
        const form = readForm(view.state.values as ViewStateValues);
        const checked = checkForm(form);
        if (!checked.ok) {
          await ack({ response_action: 'errors', errors: checked.errors });
          return;
        }
        const metadata = readMetadata(view.private_metadata, modalOriginSchema, {});
        const outcome = await submitModal({
          ack,
          client,
          viewId: view.id,
          budgetMs: options.ackBudgetMs,
          work: deps
            .features()
            .then((f) => f.requireAlation(owner))
            .then((alation) => alation.queries.create(checked.body)),
          inline: (early) => {
            if (early.ok) return undefined;
            logFailure(log, early.error);
            return { response_action: 'errors', errors: outcomeErrors(early.error) };
          },
          progress: buildCreatingModal,
          final: (late) => {
            if (late.ok) return buildCreatedModal(late.value);
            logFailure(log, late.error);
            return buildNewQueryModal({
              privateMetadata: view.private_metadata,
              values: form,
              problem: Object.values(outcomeErrors(late.error)).join(' '),
            });
          },
        });
        if (outcome.ok) await succeeded(client, owner, outcome.value, metadata, log);
      });
    },
  };
}
