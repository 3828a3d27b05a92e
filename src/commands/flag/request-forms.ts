// The forms behind the review card's buttons: Approve with changes (its type radio rebuilds it),
// Deny with a reason, and Ask a question. Each submits through submitModal; what became of the
// request is said in the form when it moved on meanwhile.
import type { App } from '@slack/bolt';
import { z } from 'zod';
import { ownerOf } from '../../auth/owner.ts';
import { FLAG_TYPES, type FlagType } from '../../client/alation.ts';
import {
  approveRequest,
  askRequester,
  type DecisionResult,
  denyRequest,
} from '../../flag-requests/decide.ts';
import { requestDeps } from '../../flag-requests/notify.ts';
import { requestContext } from '../../middleware/request-context.ts';
import { readMetadata, submitModal } from '../../slack/modal-submission.ts';
import type { FlagRequest } from '../../store/flag-requests.ts';
import {
  type AddFlagForm,
  BLOCK_FLAG_REASON,
  BLOCK_FLAG_TYPE,
  buildFlagNoticeModal,
  INPUT,
} from '../../views/flag-modal.ts';
import {
  ACTION_CHANGES_TYPE_CHOICE,
  BLOCK_REQUEST_NOTE,
  buildApproveChangesModal,
  VIEW_REQUEST_ASK,
  VIEW_REQUEST_CHANGES,
  VIEW_REQUEST_DENY,
} from '../../views/flag-request-modal.ts';
import type { CommandDeps } from '../command.ts';
import { checkAddForm, type FormErrors } from './add.ts';
import { decisionText } from './request-review.ts';

const metadataSchema = z.object({ requestId: z.string().max(64) });
const readRequestId = (raw: string | undefined) =>
  readMetadata(raw, metadataSchema, { requestId: '' }).requestId;

interface StateValue {
  value?: string | null;
  selected_option?: { value?: string } | null;
}
type ViewState = Record<string, Record<string, StateValue>>;

const isFlagType = (value: unknown): value is FlagType =>
  typeof value === 'string' && (FLAG_TYPES as readonly string[]).includes(value);

/** The changes form as an Add flag form on the request's own object, to check the same rules. */
export function readChangesForm(
  values: ViewState,
  request: Pick<FlagRequest, 'subject'>,
): AddFlagForm {
  const type = values[BLOCK_FLAG_TYPE]?.[ACTION_CHANGES_TYPE_CHOICE]?.selected_option?.value;
  return {
    otype: request.subject.otype,
    subjectId: String(request.subject.id),
    flagType: isFlagType(type) ? type : undefined,
    reason: values[BLOCK_FLAG_REASON]?.[INPUT]?.value ?? undefined,
  };
}

export function requestFormActions(deps: CommandDeps, options: { ackBudgetMs?: number } = {}) {
  const features = () => deps.features();
  return {
    register(app: App) {
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
        // The object is the request's own; only the type and reason rules are checked here.
        const form = readChangesForm(view.state.values as ViewState, {
          subject: { otype: 'table', id: 1 },
        });
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
          work: features().then((f) =>
            approveRequest(requestDeps(f, client, log), requestId, owner, choice),
          ),
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
        await submitModal({
          ack,
          client,
          viewId: view.id,
          budgetMs: options.ackBudgetMs,
          work: features().then((f) =>
            denyRequest(
              requestDeps(f, client, log),
              readRequestId(view.private_metadata),
              owner,
              note,
            ),
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
        const sentText =
          ':speech_balloon: Asked; the requester sees it in the thread of their receipt.';
        const failed =
          'Slack would not deliver the question; nothing was sent. Try again, or message them directly.';
        await submitModal({
          ack,
          client,
          viewId: view.id,
          budgetMs: options.ackBudgetMs,
          work: features().then((f) =>
            askRequester(
              requestDeps(f, client, log),
              readRequestId(view.private_metadata),
              owner,
              question,
            ),
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
