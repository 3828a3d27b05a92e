// `/alation flag edit <flag_id>` and the Edit reason button: a modal prefilled with the current
// reason. Endorsements are refused before any modal, with Alation's rule.
import type { App, RespondFn } from '@slack/bolt';
import { z } from 'zod';
import { ownerOf } from '../../auth/owner.ts';
import type { TrustFlag } from '../../client/alation.ts';
import type { Logger } from '../../log.ts';
import { requestContext } from '../../middleware/request-context.ts';
import { buttonValue } from '../../slack/button-value.ts';
import {
  modalOriginSchema,
  outcomeWithin,
  readMetadata,
  settle,
  submitModal,
} from '../../slack/modal-submission.ts';
import type { Owner } from '../../store/credentials.ts';
import {
  ACTION_FLAG_EDIT,
  buildEndorsementRefusal,
  buildFlagUpdatedMessage,
} from '../../views/flag.ts';
import {
  BLOCK_FLAG_REASON,
  buildEditFlagModal,
  buildFlagNoticeModal,
  INPUT,
  VIEW_FLAG_EDIT,
} from '../../views/flag-modal.ts';
import { decodeFlagRef } from '../../views/flag-ref.ts';
import type { CommandDeps, CommandInput } from '../command.ts';
import {
  type Client,
  flagFailureText,
  logFlagFailure,
  type ModalOrigin,
  OPEN_BUDGET_MS,
  parseFlagId,
  reportFlagFailure,
  tellPrivately,
} from './shared.ts';

interface EditMetadata extends ModalOrigin {
  flagId: number;
}

/** The flag id is checked where it is used, so a modal without one can say so. */
const editMetadataSchema = modalOriginSchema.extend({ flagId: z.number().optional() });

const TITLE = 'Edit flag reason';

interface OpenEditorInput {
  client: Client;
  triggerId: string;
  owner: Owner;
  flagId: number;
  origin: ModalOrigin;
  respond: RespondFn;
  log: Logger;
}

export function editFlagAction(deps: CommandDeps, options: { ackBudgetMs?: number } = {}) {
  const editor = (flag: TrustFlag, origin: ModalOrigin) => {
    const metadata: EditMetadata = { flagId: flag.id, ...origin };
    return buildEditFlagModal({ privateMetadata: JSON.stringify(metadata), flag });
  };

  /**
   * Reads the flag first (the modal is prefilled, and endorsements have nothing to edit). A
   * trigger id lives 3 s, so a slow Alation gets a loading modal that is filled in later.
   */
  async function openEditor({
    client,
    triggerId,
    owner,
    flagId,
    origin,
    respond,
    log,
  }: OpenEditorInput) {
    const ref = { flagId };
    let lookup: Promise<TrustFlag>;
    try {
      const features = await deps.features();
      const alation = await features.requireAlation(owner);
      lookup = alation.flags.get(flagId);
    } catch (error) {
      await reportFlagFailure(error, ref, 'edit', respond, log);
      return;
    }
    const early = await outcomeWithin(lookup, OPEN_BUDGET_MS);
    if (early) {
      const outcome = early;
      if (!outcome.ok) {
        await reportFlagFailure(outcome.error, ref, 'edit', respond, log);
        return;
      }
      if (outcome.value.flag_type === 'ENDORSEMENT') {
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          ...buildEndorsementRefusal(flagId),
        });
        return;
      }
      await client.views.open({ trigger_id: triggerId, view: editor(outcome.value, origin) });
      return;
    }
    const opened = await client.views.open({
      trigger_id: triggerId,
      view: buildFlagNoticeModal(
        TITLE,
        `:hourglass_flowing_sand: Reading flag ${flagId} from Alation…`,
      ),
    });
    const outcome = await settle(lookup);
    const viewId = opened.view?.id;
    if (!viewId) return;
    const view = outcome.ok
      ? outcome.value.flag_type === 'ENDORSEMENT'
        ? buildFlagNoticeModal(TITLE, buildEndorsementRefusal(flagId).text)
        : editor(outcome.value, origin)
      : buildFlagNoticeModal(TITLE, flagFailureText(outcome.error, ref, 'edit'));
    if (!outcome.ok) logFlagFailure(log, outcome.error, `read flag ${flagId}`);
    await client.views.update({ view_id: viewId, view });
  }

  return {
    async run({ ack, respond, command, client, log }: CommandInput, args: string) {
      const parsed = parseFlagId(args, '/alation flag edit');
      if ('problem' in parsed) {
        await ack({ response_type: 'ephemeral', text: parsed.problem });
        return;
      }
      await ack();
      await openEditor({
        client,
        triggerId: command.trigger_id,
        owner: ownerOf(command),
        flagId: parsed.flagId,
        origin: { responseUrl: command.response_url, channelId: command.channel_id },
        respond,
        log,
      });
    },

    register(app: App) {
      app.action(ACTION_FLAG_EDIT, async ({ ack, body, action, respond, client, context }) => {
        await ack();
        const log = requestContext(context).log;
        const ref = decodeFlagRef(buttonValue(action));
        const triggerId = 'trigger_id' in body ? body.trigger_id : undefined;
        if (!ref || !triggerId) {
          log.warn('an Edit reason button carried no flag id');
          return;
        }
        await openEditor({
          client,
          triggerId,
          owner: ownerOf(body),
          flagId: ref.flagId,
          origin: {
            responseUrl: 'response_url' in body ? body.response_url : undefined,
            channelId: 'channel' in body ? body.channel?.id : undefined,
          },
          respond,
          log,
        });
      });

      app.view(VIEW_FLAG_EDIT, async ({ ack, body, view, client, context }) => {
        const log = requestContext(context).log;
        const owner = ownerOf(body);
        const reason = (view.state.values[BLOCK_FLAG_REASON]?.[INPUT]?.value ?? '').trim();
        if (reason === '') {
          await ack({
            response_action: 'errors',
            errors: {
              [BLOCK_FLAG_REASON]:
                'Give a reason: Alation requires one for Warnings and Deprecations. To drop the flag instead, use Remove.',
            },
          });
          return;
        }
        const metadata = readMetadata(view.private_metadata, editMetadataSchema, {});
        const flagId = metadata.flagId;
        if (typeof flagId !== 'number') {
          log.warn('an Edit reason modal carried no flag id');
          await ack({
            response_action: 'errors',
            errors: {
              [BLOCK_FLAG_REASON]:
                'This form no longer works; run `/alation flag edit <flag_id>` again.',
            },
          });
          return;
        }
        const ref = { flagId };
        const outcome = await submitModal({
          ack,
          client,
          viewId: view.id,
          budgetMs: options.ackBudgetMs,
          work: deps
            .features()
            .then((f) => f.requireAlation(owner))
            .then((alation) => alation.flags.updateReason(flagId, reason)),
          inline: (early) => {
            if (early.ok) return undefined;
            logFlagFailure(log, early.error, `change the reason of flag ${flagId}`);
            return {
              response_action: 'errors',
              errors: { [BLOCK_FLAG_REASON]: flagFailureText(early.error, ref, 'edit') },
            };
          },
          progress: () =>
            buildFlagNoticeModal(TITLE, ':hourglass_flowing_sand: Saving the reason in Alation…'),
          final: (late) => {
            if (late.ok) {
              return buildFlagNoticeModal(TITLE, ':white_check_mark: Saved. You can close this.');
            }
            logFlagFailure(log, late.error, `change the reason of flag ${flagId}`);
            return buildFlagNoticeModal(TITLE, flagFailureText(late.error, ref, 'edit'));
          },
        });
        if (!outcome.ok) return;
        await tellPrivately(
          client,
          owner,
          metadata,
          buildFlagUpdatedMessage(outcome.value, deps.alationBaseUrl),
        );
      });
    },
  };
}
