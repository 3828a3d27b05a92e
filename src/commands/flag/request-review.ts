// The review card's buttons (Approve, Approve with changes, Deny, Ask a question), their forms,
// and the receipt's Withdraw. Every press reads the request from the database, so a card
// pressed after a restart, on another replica or twice at once still does the right thing.
import type { App, RespondFn } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import { z } from 'zod';
import { ownerOf } from '../../auth/owner.ts';
import { FLAG_TYPES, type FlagType } from '../../client/alation.ts';
import {
  approveRequest,
  askRequester,
  type DecisionResult,
  denyRequest,
  withdrawRequest,
} from '../../flag-requests/decide.ts';
import { requestDeps } from '../../flag-requests/notify.ts';
import type { Logger } from '../../log.ts';
import { requestContext } from '../../middleware/request-context.ts';
import { buttonValue } from '../../slack/button-value.ts';
import { reportFailure } from '../../slack/failure.ts';
import { readMetadata, submitModal } from '../../slack/modal-submission.ts';
import { privateRespond } from '../../slack/reply.ts';
import type { Owner } from '../../store/credentials.ts';
import type { FlagRequest } from '../../store/flag-requests.ts';
import { buildConnectPrompt } from '../../views/connect.ts';
import { FLAG_LABELS } from '../../views/flag.ts';
import {
  type AddFlagForm,
  BLOCK_FLAG_REASON,
  BLOCK_FLAG_TYPE,
  buildFlagNoticeModal,
  INPUT,
} from '../../views/flag-modal.ts';
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
  ACTION_CHANGES_TYPE_CHOICE,
  BLOCK_REQUEST_NOTE,
  buildApproveChangesModal,
  buildAskModal,
  buildDenyModal,
  VIEW_REQUEST_ASK,
  VIEW_REQUEST_CHANGES,
  VIEW_REQUEST_DENY,
} from '../../views/flag-request-modal.ts';
import type { CommandDeps } from '../command.ts';
import { checkAddForm, type FormErrors } from './add.ts';
import type { Client } from './shared.ts';

const metadataSchema = z.object({ requestId: z.string().max(64) });
const readRequestId = (raw: string | undefined) =>
  readMetadata(raw, metadataSchema, { requestId: '' }).requestId;

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

interface StateValue {
  value?: string | null;
  selected_option?: { value?: string } | null;
}
type ViewState = Record<string, Record<string, StateValue>>;

const isFlagType = (value: unknown): value is FlagType =>
  typeof value === 'string' && (FLAG_TYPES as readonly string[]).includes(value);

/** The changes form as an Add flag form on the request's own object, to check the same rules. */
export function readChangesForm(values: ViewState, request: FlagRequest): AddFlagForm {
  const type = values[BLOCK_FLAG_TYPE]?.[ACTION_CHANGES_TYPE_CHOICE]?.selected_option?.value;
  return {
    otype: request.subject.otype,
    subjectId: String(request.subject.id),
    flagType: isFlagType(type) ? type : undefined,
    reason: values[BLOCK_FLAG_REASON]?.[INPUT]?.value ?? undefined,
  };
}

export function reviewRequestActions(deps: CommandDeps, options: { ackBudgetMs?: number } = {}) {
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

      // The type changed in Approve with changes: rebuild so the reason appears or goes.
      app.action(ACTION_CHANGES_TYPE_CHOICE, async ({ ack, body, client, context }) => {
        await ack();
        const view = 'view' in body ? body.view : undefined;
        if (!view || view.callback_id !== VIEW_REQUEST_CHANGES) return;
        const log = requestContext(context).log;
        try {
          const request = await (await features()).flagRequests.get(
            readRequestId(view.private_metadata),
          );
          if (!request) return;
          await client.views.update({
            view_id: view.id,
            hash: view.hash,
            view: buildApproveChangesModal({
              privateMetadata: view.private_metadata,
              request,
              values: readChangesForm(view.state.values as ViewState, request),
            }),
          });
        } catch (err) {
          log.warn({ err }, 'could not update the Approve with changes form');
        }
      });

      app.view(VIEW_REQUEST_CHANGES, async ({ ack, body, view, client, context }) => {
        const log = requestContext(context).log;
        const owner = ownerOf(body);
        const requestId = readRequestId(view.private_metadata);
        const f = await features();
        const request = await f.flagRequests.get(requestId);
        if (!request) {
          await ack({
            response_action: 'update',
            view: buildFlagNoticeModal('Approve with changes', 'This request no longer exists.'),
          });
          return;
        }
        const form = readChangesForm(view.state.values as ViewState, request);
        const checked = checkAddForm(form);
        if (!checked.ok) {
          await ack({ response_action: 'errors', errors: checked.errors });
          return;
        }
        const choice = {
          flagType: checked.body.flag_type,
          reason: 'flag_reason' in checked.body ? checked.body.flag_reason : '',
        };
        const notice = (text: string) => buildFlagNoticeModal('Approve with changes', text);
        const errors = (result: DecisionResult): FormErrors => ({
          [BLOCK_FLAG_TYPE]: decisionText(result)
            .replace(/<@(\w+)>/g, 'someone')
            .slice(0, 300),
        });
        await submitModal({
          ack,
          client,
          viewId: view.id,
          budgetMs: options.ackBudgetMs,
          work: approveRequest(requestDeps(f, client, log), requestId, owner, choice),
          inline: (early) => {
            if (!early.ok) {
              log.error({ err: early.error }, 'could not approve a request with changes');
              return {
                response_action: 'errors',
                errors: {
                  [BLOCK_FLAG_TYPE]:
                    'Something went wrong on the bot’s side; it has been logged. Nothing was created.',
                },
              };
            }
            return early.value.kind === 'approved'
              ? undefined
              : { response_action: 'errors', errors: errors(early.value) };
          },
          progress: () => notice(':hourglass_flowing_sand: Creating the flag in Alation as you…'),
          final: (late) =>
            notice(
              late.ok
                ? decisionText(late.value)
                : 'Something went wrong on the bot’s side; it has been logged. Nothing was created.',
            ),
        });
      });

      app.view(VIEW_REQUEST_DENY, async ({ ack, body, view, client, context }) => {
        const log = requestContext(context).log;
        const owner = ownerOf(body);
        const note = (
          (view.state.values as ViewState)[BLOCK_REQUEST_NOTE]?.value?.value ?? ''
        ).trim();
        if (note === '') {
          await ack({
            response_action: 'errors',
            errors: { [BLOCK_REQUEST_NOTE]: 'Say why, so the requester knows what to do instead.' },
          });
          return;
        }
        const f = await features();
        await submitModal({
          ack,
          client,
          viewId: view.id,
          budgetMs: options.ackBudgetMs,
          work: denyRequest(
            requestDeps(f, client, log),
            readRequestId(view.private_metadata),
            owner,
            note,
          ),
          inline: (early) => {
            if (early.ok && early.value.kind === 'denied') return undefined;
            if (!early.ok) log.error({ err: early.error }, 'could not deny a request');
            return {
              response_action: 'update',
              view: buildFlagNoticeModal(
                'Deny the request',
                early.ok
                  ? decisionText(early.value)
                  : 'Something went wrong on the bot’s side; it has been logged.',
              ),
            };
          },
          progress: () =>
            buildFlagNoticeModal('Deny the request', ':hourglass_flowing_sand: Denying…'),
          final: (late) =>
            buildFlagNoticeModal(
              'Deny the request',
              late.ok
                ? decisionText(late.value)
                : 'Something went wrong on the bot’s side; it has been logged.',
            ),
        });
      });

      app.view(VIEW_REQUEST_ASK, async ({ ack, body, view, client, context }) => {
        const log = requestContext(context).log;
        const owner = ownerOf(body);
        const question = (
          (view.state.values as ViewState)[BLOCK_REQUEST_NOTE]?.value?.value ?? ''
        ).trim();
        if (question === '') {
          await ack({
            response_action: 'errors',
            errors: { [BLOCK_REQUEST_NOTE]: 'What would you like to know?' },
          });
          return;
        }
        const f = await features();
        const sentText =
          ':speech_balloon: Asked; the requester sees it in the thread of their receipt.';
        const failed =
          'Slack would not deliver the question; nothing was sent. Try again, or message them directly.';
        await submitModal({
          ack,
          client,
          viewId: view.id,
          budgetMs: options.ackBudgetMs,
          work: askRequester(
            requestDeps(f, client, log),
            readRequestId(view.private_metadata),
            owner,
            question,
          ),
          inline: (early) => {
            if (!early.ok) log.warn({ err: early.error }, 'could not ask a question');
            return early.ok && early.value
              ? undefined
              : {
                  response_action: 'update',
                  view: buildFlagNoticeModal(
                    'Ask a question',
                    early.ok ? 'This request no longer exists.' : failed,
                  ),
                };
          },
          progress: () =>
            buildFlagNoticeModal('Ask a question', ':hourglass_flowing_sand: Sending…'),
          final: (late) => buildFlagNoticeModal('Ask a question', late.ok ? sentText : failed),
        });
      });
    },
  };
}
