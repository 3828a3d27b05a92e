// The review card's buttons (Approve; Approve with changes, Deny and Ask a question open the
// forms in request-forms.ts) and the receipt's Withdraw. Every press reads the request from the
// database, so a card pressed after a restart, on another replica or twice at once still does
// the right thing.
import type { App, RespondFn } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import { ownerOf } from '../../auth/owner.ts';
import {
  approveRequest,
  type DecisionResult,
  withdrawRequest,
} from '../../flag-requests/decide.ts';
import { requestDeps } from '../../flag-requests/notify.ts';
import type { Logger } from '../../log.ts';
import { requestContext } from '../../middleware/request-context.ts';
import { buttonValue } from '../../slack/button-value.ts';
import { reportFailure } from '../../slack/failure.ts';
import { privateRespond } from '../../slack/reply.ts';
import type { Owner } from '../../store/credentials.ts';
import type { FlagRequest } from '../../store/flag-requests.ts';
import { buildConnectPrompt } from '../../views/connect.ts';
import { FLAG_LABELS } from '../../views/flag.ts';
import {
  ACTION_REQUEST_APPROVE,
  ACTION_REQUEST_ASK,
  ACTION_REQUEST_CHANGES,
  ACTION_REQUEST_DENY,
  ACTION_REQUEST_WITHDRAW,
  buildRequestNotice,
  outcomeLine,
} from '../../views/flag-request.ts';
import {
  buildApproveChangesModal,
  buildAskModal,
  buildDenyModal,
} from '../../views/flag-request-modal.ts';
import type { CommandDeps } from '../command.ts';
import type { Client } from './shared.ts';

/** What a press on a request that moved on is told, in one line. */
export function decisionText(result: DecisionResult): string {
  switch (result.kind) {
    case 'approved':
      return `:white_check_mark: Approved: the ${FLAG_LABELS[result.flag.flag_type].toLowerCase()} is in Alation (flag ${result.flag.id}), created as you. The requester has been told.`;
    case 'denied':
      return ':x: Denied; the requester has been told, with your reason.';
    case 'own':
      return 'You made this request, so someone else decides it. You can withdraw it from your receipt or `/alation flag requests`.';
    case 'not_reviewer':
      return `This request was asked of ${'userId' in result.request.reviewer ? `<@${result.request.reviewer.userId}>` : 'someone else'}, so only they can decide it.`;
    case 'not_connected':
      return 'Approving creates the flag as you, so connect your Alation account first (`/alation login`). The request stays open.';
    case 'refused':
      return `:no_entry_sign: ${result.refusal} Nothing was created; the request stays open for someone who may.`;
    case 'taken': {
      const request = result.request;
      if (!request) return 'This request no longer exists.';
      if (request.status === 'deciding') {
        return `<@${request.claimedBy ?? 'someone'}> is approving this request right now; nothing else was done.`;
      }
      return `Already decided, nothing else was done: ${outcomeLine(request) ?? request.status}`;
    }
  }
}

export function reviewRequestActions(deps: CommandDeps) {
  const features = () => deps.features();

  async function answer(respond: RespondFn, text: string): Promise<void> {
    await respond({
      response_type: 'ephemeral',
      replace_original: false,
      ...buildRequestNotice(text),
    });
  }

  /** Opens one of the request's forms, or says why not (gone, decided, your own). */
  async function openForm(input: {
    client: Client;
    respond: RespondFn;
    triggerId: string | undefined;
    requestId: string;
    owner: Owner;
    build: (request: FlagRequest, privateMetadata: string) => ModalView;
    allowOwn?: boolean;
    log: Logger;
  }): Promise<void> {
    try {
      const f = await features();
      const request = await f.flagRequests.get(input.requestId);
      if (!request || request.requester.tenantId !== input.owner.tenantId) {
        await answer(input.respond, 'This request no longer exists.');
        return;
      }
      if (!input.allowOwn && request.requester.userId === input.owner.userId) {
        await answer(input.respond, decisionText({ kind: 'own', request }));
        return;
      }
      if ('userId' in request.reviewer && request.reviewer.userId !== input.owner.userId) {
        await answer(input.respond, decisionText({ kind: 'not_reviewer', request }));
        return;
      }
      if (request.status !== 'open') {
        await answer(input.respond, decisionText({ kind: 'taken', request }));
        return;
      }
      if (!input.triggerId) return;
      await input.client.views.open({
        trigger_id: input.triggerId,
        view: input.build(request, JSON.stringify({ requestId: request.id })),
      });
    } catch (error) {
      await reportFailure(error, input.respond, input.log, 'open the form');
    }
  }

  return {
    register(app: App) {
      app.action(
        ACTION_REQUEST_APPROVE,
        async ({ ack, body, action, client, respond, context }) => {
          await ack();
          const log = requestContext(context).log;
          const owner = ownerOf(body);
          const reply = privateRespond(respond, client, owner.userId);
          try {
            const f = await features();
            const result = await approveRequest(
              requestDeps(f, client, log),
              buttonValue(action),
              owner,
            );
            if (result.kind === 'not_connected') {
              await reply({
                response_type: 'ephemeral',
                replace_original: false,
                ...buildConnectPrompt(result.error.reason),
              });
              return;
            }
            await answer(reply, decisionText(result));
          } catch (error) {
            await reportFailure(error, reply, log, 'approve the request');
          }
        },
      );

      app.action(
        ACTION_REQUEST_CHANGES,
        async ({ ack, body, action, client, respond, context }) => {
          await ack();
          const owner = ownerOf(body);
          await openForm({
            client,
            respond: privateRespond(respond, client, owner.userId),
            triggerId: 'trigger_id' in body ? body.trigger_id : undefined,
            requestId: buttonValue(action),
            owner,
            log: requestContext(context).log,
            build: (request, privateMetadata) =>
              buildApproveChangesModal({
                privateMetadata,
                request,
                values: { flagType: request.flagType, reason: request.reason },
              }),
          });
        },
      );

      app.action(ACTION_REQUEST_DENY, async ({ ack, body, action, client, respond, context }) => {
        await ack();
        const owner = ownerOf(body);
        await openForm({
          client,
          respond: privateRespond(respond, client, owner.userId),
          triggerId: 'trigger_id' in body ? body.trigger_id : undefined,
          requestId: buttonValue(action),
          owner,
          log: requestContext(context).log,
          build: (request, privateMetadata) => buildDenyModal({ privateMetadata, request }),
        });
      });

      app.action(ACTION_REQUEST_ASK, async ({ ack, body, action, client, respond, context }) => {
        await ack();
        const owner = ownerOf(body);
        await openForm({
          client,
          respond: privateRespond(respond, client, owner.userId),
          triggerId: 'trigger_id' in body ? body.trigger_id : undefined,
          requestId: buttonValue(action),
          owner,
          log: requestContext(context).log,
          build: (request, privateMetadata) => buildAskModal({ privateMetadata, request }),
        });
      });

      app.action(
        ACTION_REQUEST_WITHDRAW,
        async ({ ack, body, action, client, respond, context }) => {
          await ack();
          const log = requestContext(context).log;
          const owner = ownerOf(body);
          const reply = privateRespond(respond, client, owner.userId);
          try {
            const f = await features();
            const requestId = buttonValue(action);
            const withdrawn = await withdrawRequest(requestDeps(f, client, log), requestId, owner);
            if (withdrawn) {
              await answer(
                reply,
                ':leftwards_arrow_with_hook: Withdrawn; the reviewer’s card is closed.',
              );
              return;
            }
            const request = await f.flagRequests.get(requestId);
            await answer(
              reply,
              !request || request.requester.userId !== owner.userId
                ? 'Only the person who asked can withdraw a request.'
                : `It can no longer be withdrawn: ${outcomeLine(request) ?? 'someone is approving it right now.'}`,
            );
          } catch (error) {
            await reportFailure(error, reply, log, 'withdraw the request');
          }
        },
      );
    },
  };
}
