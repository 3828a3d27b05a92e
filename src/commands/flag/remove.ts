// `/alation flag remove <flag_id>` and the Remove buttons. Always confirmed first: the command
// answers with a confirmation message, the buttons carry Slack's own confirm dialog.
import type { App, BlockAction, RespondFn } from '@slack/bolt';
import { ownerOf } from '../../auth/owner.ts';
import type { Logger } from '../../log.ts';
import { requestContext } from '../../middleware/request-context.ts';
import { buttonValue } from '../../slack/button-value.ts';
import { userTimeZone } from '../../slack/reply.ts';
import type { Owner } from '../../store/credentials.ts';
import {
  ACTION_FLAG_REMOVE,
  ACTION_FLAG_REMOVE_CANCEL,
  ACTION_FLAG_REMOVE_CONFIRMED,
  buildFlagRemovedMessage,
  buildRemoveCancelledMessage,
  buildRemoveConfirmMessage,
} from '../../views/flag.ts';
import { decodeFlagRef, type FlagRef } from '../../views/flag-ref.ts';
import type { CommandDeps, CommandInput } from '../command.ts';
import { parseFlagId, reportFlagFailure } from './shared.ts';

interface RemoveInput {
  owner: Owner;
  ref: FlagRef;
  respond: RespondFn;
  log: Logger;
  /**
   * Where the result goes: over the message pressed (the confirmation, or the channel's
   * announcement, which everyone should see is no longer true) or as a new private note.
   */
  replace: 'ephemeral' | 'in_channel' | false;
}

export function removeFlagAction(deps: CommandDeps) {
  async function remove({ owner, ref, respond, log, replace }: RemoveInput): Promise<void> {
    try {
      const features = await deps.features();
      const alation = await features.requireAlation(owner);
      await alation.flags.remove(ref.flagId);
      log.info({ flagId: ref.flagId }, 'removed a trust flag');
      await respond({
        response_type: replace === 'in_channel' ? 'in_channel' : 'ephemeral',
        replace_original: replace !== false,
        ...buildFlagRemovedMessage(ref, owner.userId),
      });
    } catch (error) {
      await reportFlagFailure(error, ref, 'remove', respond, log);
    }
  }

  /** The flag a Remove button names; an unreadable value gets a way forward, not silence. */
  async function refOf(action: unknown, respond: RespondFn, log: Logger) {
    const ref = decodeFlagRef(buttonValue(action));
    if (!ref) {
      log.warn('a Remove button carried an unreadable value');
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: 'That button no longer works. Run `/alation flag remove <flag_id>` instead.',
      });
    }
    return ref;
  }

  return {
    async run({ ack, respond, command, client, log }: CommandInput, args: string) {
      const parsed = parseFlagId(args, '/alation flag remove');
      if ('problem' in parsed) {
        await ack({ response_type: 'ephemeral', text: parsed.problem });
        return;
      }
      await ack();
      const owner = ownerOf(command);
      const ref = { flagId: parsed.flagId };
      try {
        const features = await deps.features();
        const alation = await features.requireAlation(owner);
        const [flag, zone] = await Promise.all([
          alation.flags.get(parsed.flagId),
          userTimeZone(client, owner.userId),
        ]);
        await respond({
          response_type: 'ephemeral',
          ...buildRemoveConfirmMessage({
            flag,
            alationBaseUrl: deps.alationBaseUrl,
            now: features.now(),
            zone,
          }),
        });
      } catch (error) {
        await reportFlagFailure(error, ref, 'remove', respond, log);
      }
    },

    register(app: App) {
      // Slack showed its confirm dialog before sending this; the press is the confirmation.
      app.action<BlockAction>(
        ACTION_FLAG_REMOVE,
        async ({ ack, body, action, respond, context }) => {
          await ack();
          const log = requestContext(context).log;
          const ref = await refOf(action, respond, log);
          if (!ref) return;
          const inChannel =
            body.container?.type === 'message' && body.container.is_ephemeral === false;
          await remove({
            owner: ownerOf(body),
            ref,
            respond,
            log,
            replace: inChannel ? 'in_channel' : false,
          });
        },
      );
      app.action(ACTION_FLAG_REMOVE_CONFIRMED, async ({ ack, body, action, respond, context }) => {
        await ack();
        const log = requestContext(context).log;
        const ref = await refOf(action, respond, log);
        if (!ref) return;
        await remove({ owner: ownerOf(body), ref, respond, log, replace: 'ephemeral' });
      });
      app.action(ACTION_FLAG_REMOVE_CANCEL, async ({ ack, action, respond }) => {
        await ack();
        const flagId = decodeFlagRef(buttonValue(action))?.flagId;
        await respond({
          response_type: 'ephemeral',
          replace_original: true,
          ...(flagId
            ? buildRemoveCancelledMessage(flagId)
            : { text: 'Nothing was removed.', blocks: [] }),
        });
      });
    },
  };
}
