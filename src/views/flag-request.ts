// Trust-flag requests (issue 20): the review card a steward decides on, the requester's receipt
// and outcome, the reminder, and the list of requests. Pure: everything comes in as arguments.
import type { Button, KnownBlock } from '@slack/types';
import { catalogUrl } from '../client/alation/links.ts';
import type { FlagType, TrustFlag } from '../client/alation.ts';
import type { FlagRequest } from '../store/flag-requests.ts';
import { context, escapeWithin, plainText, section } from './blocks.ts';
import { ACTION_FLAG_OPEN, FLAG_LABELS, flagLine, subjectLink, subjectWords } from './flag.ts';
import type { SlackMessage } from './help.ts';
import { slackDate } from './job.ts';
import { relative } from './time.ts';

export const ACTION_REQUEST_APPROVE = 'flag_request_approve';
export const ACTION_REQUEST_CHANGES = 'flag_request_changes';
export const ACTION_REQUEST_DENY = 'flag_request_deny';
export const ACTION_REQUEST_ASK = 'flag_request_ask';
export const ACTION_REQUEST_WITHDRAW = 'flag_request_withdraw';

/** What the requester asks for, as a verb phrase: "deprecate", "put a warning on", "endorse". */
const ASK: Record<FlagType, string> = {
  ENDORSEMENT: 'endorse',
  WARNING: 'put a warning on',
  DEPRECATION: 'deprecate',
};

const EMOJI: Record<FlagType, string> = {
  ENDORSEMENT: ':white_check_mark:',
  WARNING: ':warning:',
  DEPRECATION: ':no_entry:',
};

/** A reason as people wrote it, quoted, never able to ping or link. */
function quoted(reason: string, max = 1200): string {
  return escapeWithin(reason.trim(), max)
    .split('\n')
    .map((line) => `>${line}`)
    .join('\n');
}

/** `<@U…>` or `<#C…>`: who decides. Ids come from Slack's own pickers, never from text. */
export function reviewerWords(request: Pick<FlagRequest, 'reviewer'>): string {
  return 'userId' in request.reviewer
    ? `<@${request.reviewer.userId}>`
    : `<#${request.reviewer.channelId}>`;
}

function askedFor(request: FlagRequest, alationBaseUrl: string): string {
  const reason = request.reason.trim();
  return `${EMOJI[request.flagType]} *${FLAG_LABELS[request.flagType]}* on ${subjectLink(alationBaseUrl, request.subject)}${reason ? `\n${quoted(reason)}` : ''}`;
}

/** What became of a request, in one line, or undefined while it waits. */
export function outcomeLine(request: FlagRequest): string | undefined {
  const by = request.decidedBy ? `<@${request.decidedBy}>` : 'someone';
  switch (request.status) {
    case 'approved': {
      const changed =
        (request.finalFlagType && request.finalFlagType !== request.flagType) ||
        (request.finalReason ?? '') !== request.reason;
      const what = request.finalFlagType
        ? `${FLAG_LABELS[request.finalFlagType].toLowerCase()}`
        : 'flag';
      const reason = request.finalReason?.trim();
      return `:white_check_mark: *Approved by ${by}*${changed ? ' with changes' : ''}: the ${what} is in Alation (flag ${request.flagId ?? '?'}), created as ${by}.${changed && reason ? `\n${quoted(reason, 800)}` : ''}`;
    }
    case 'denied':
      return `:x: *Denied by ${by}*${request.decisionNote?.trim() ? `:\n${quoted(request.decisionNote, 1000)}` : '.'}`;
    case 'withdrawn':
      return `:leftwards_arrow_with_hook: *Withdrawn* by <@${request.requester.userId}>.`;
    case 'expired':
      return ':hourglass: *Expired*: nobody decided in time. Ask again with `/alation flag request` if it still matters.';
    default:
      return undefined;
  }
}

export interface ReviewCardInput {
  request: FlagRequest;
  /** The object's flags when the request was made (read as the requester). */
  currentFlags: TrustFlag[] | undefined;
  alationBaseUrl: string;
  now: Date;
  /** Shown while an approval is being created in Alation. */
  approvingBy?: string;
}

function reviewButtons(request: FlagRequest): Button[] {
  return [
    {
      type: 'button',
      action_id: ACTION_REQUEST_APPROVE,
      text: plainText('Approve'),
      style: 'primary',
      value: request.id,
    },
    {
      type: 'button',
      action_id: ACTION_REQUEST_CHANGES,
      text: plainText('Approve with changes'),
      value: request.id,
    },
    {
      type: 'button',
      action_id: ACTION_REQUEST_DENY,
      text: plainText('Deny'),
      style: 'danger',
      value: request.id,
    },
    {
      type: 'button',
      action_id: ACTION_REQUEST_ASK,
      text: plainText('Ask a question'),
      value: request.id,
    },
  ];
}

function openButton(alationBaseUrl: string, request: FlagRequest): Button {
  return {
    type: 'button',
    action_id: ACTION_FLAG_OPEN,
    text: plainText('Open in Alation'),
    url: catalogUrl(alationBaseUrl, request.subject),
  };
}

/**
 * The card a reviewer decides on: what is asked and why, by whom and when, the object's flags
 * now, and Approve / Approve with changes / Deny / Ask a question while it is open. Once decided
 * it says how, by whom, and has no buttons left.
 */
export function buildReviewCard(input: ReviewCardInput): SlackMessage {
  const { request } = input;
  const who = `<@${request.requester.userId}>`;
  const blocks: KnownBlock[] = [
    section(
      `:raising_hand: ${who} asks ${reviewerWords(request)} to ${ASK[request.flagType]} ${subjectLink(input.alationBaseUrl, request.subject)}`,
    ),
    section(askedFor(request, input.alationBaseUrl)),
  ];
  if (input.currentFlags !== undefined) {
    const shown = input.currentFlags.slice(0, 5);
    blocks.push(
      section(
        shown.length === 0
          ? '*Flags on it now:* none.'
          : `*Flags on it now:*\n${shown
              .map((f) =>
                flagLine(f, {
                  showSubject: false,
                  alationBaseUrl: input.alationBaseUrl,
                  now: input.now,
                  zone: undefined,
                }),
              )
              .join('\n')
              .slice(
                0,
                2600,
              )}${input.currentFlags.length > shown.length ? `\n…and ${input.currentFlags.length - shown.length} more.` : ''}`,
      ),
    );
  }
  // Slack renders the time in each reader's zone; a relative time would go stale on the card.
  const asked = `Asked ${slackDate(request.createdAt)} by ${who}`;
  const outcome = outcomeLine(request);
  if (outcome) {
    blocks.push(section(outcome), context(asked), {
      type: 'actions',
      elements: [openButton(input.alationBaseUrl, request)],
    });
  } else if (input.approvingBy || request.status === 'deciding') {
    const by = input.approvingBy ?? request.claimedBy;
    blocks.push(
      section(
        `:hourglass_flowing_sand: <@${by ?? 'someone'}> is approving: creating the flag in Alation as <@${by ?? 'someone'}>…`,
      ),
      context(asked),
    );
  } else {
    if (request.lastRefusal) {
      blocks.push(
        section(
          `:no_entry_sign: ${escapeWithin(request.lastRefusal, 600)} ${
            'userId' in request.reviewer
              ? `The request is still open; <@${request.requester.userId}> has been told and may ask someone else.`
              : 'The request is still open for someone who may.'
          }`,
        ),
      );
    }
    blocks.push(
      context(
        `${asked} · Approving creates the flag in Alation *as you*, with your own permissions.`,
      ),
      {
        type: 'actions',
        elements: [...reviewButtons(request), openButton(input.alationBaseUrl, request)],
      },
    );
  }
  const fallbackOutcome =
    request.status === 'open' || request.status === 'deciding' ? '' : ` (${request.status})`;
  return {
    text: `Trust flag request: ${FLAG_LABELS[request.flagType]} on ${subjectWords(request.subject)}${fallbackOutcome}`,
    blocks,
  };
}

/** The requester's own copy, in their DM: what was asked of whom, with Withdraw while open. */
export function buildRequestReceipt(request: FlagRequest, alationBaseUrl: string): SlackMessage {
  const blocks: KnownBlock[] = [
    section(
      `:outbox_tray: You asked ${reviewerWords(request)} to ${ASK[request.flagType]} ${subjectLink(alationBaseUrl, request.subject)}.`,
    ),
    section(askedFor(request, alationBaseUrl)),
  ];
  const outcome = outcomeLine(request);
  if (outcome) {
    blocks.push(section(outcome));
  } else {
    blocks.push(
      context(
        'I will tell you here when it is decided; questions come in this thread. Unanswered requests remind the reviewer once, then expire.',
      ),
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: ACTION_REQUEST_WITHDRAW,
            text: plainText('Withdraw'),
            value: request.id,
            confirm: {
              title: plainText('Withdraw this request?'),
              text: plainText('The reviewer’s card closes and nothing changes in Alation.'),
              confirm: plainText('Withdraw'),
              deny: plainText('Keep it'),
            },
          },
        ],
      },
    );
  }
  return {
    text: `Your trust flag request: ${FLAG_LABELS[request.flagType]} on ${subjectWords(request.subject)}`,
    blocks,
  };
}

/** The DM that tells the requester how it went, who decided, and where the object is. */
export function buildRequestOutcomeMessage(
  request: FlagRequest,
  alationBaseUrl: string,
): SlackMessage {
  const outcome = outcomeLine(request) ?? 'Your request is still open.';
  const line = `Your request to ${ASK[request.flagType]} ${subjectLink(alationBaseUrl, request.subject)}:\n${outcome}`;
  return {
    text: `Your trust flag request on ${subjectWords(request.subject)}: ${request.status}`,
    blocks: [section(line), { type: 'actions', elements: [openButton(alationBaseUrl, request)] }],
  };
}

/** The one reminder, as a reply to the card: still waiting, since when. */
export function buildRequestReminder(request: FlagRequest, now: Date): SlackMessage {
  const line = `:bell: Reminder: ${reviewerWords(request)}, <@${request.requester.userId}> is still waiting for a decision on this request (asked ${relative(request.createdAt, now)}). It expires ${relative(request.expiresAt, now)}.`;
  return { text: 'Reminder: a trust flag request is waiting for you', blocks: [section(line)] };
}

/** A reviewer's question, in the receipt's thread (the requester) and the card's. */
export function buildRequestQuestion(askerId: string, question: string): SlackMessage {
  const line = `:speech_balloon: <@${askerId}> asks about this request:\n${quoted(question, 2000)}`;
  return {
    text: `A question about your trust flag request: ${escapeWithin(question, 200)}`,
    blocks: [section(line), context('Reply in this thread, or talk to them directly.')],
  };
}

/** A short answer to whoever pressed a button on a request that moved on. */
export function buildRequestNotice(text: string): SlackMessage {
  return { text, blocks: [section(text)] };
}

export interface RequestListInput {
  mine: FlagRequest[];
  waiting: FlagRequest[];
  alationBaseUrl: string;
  now: Date;
}

function listLine(request: FlagRequest, alationBaseUrl: string, now: Date, mine: boolean): string {
  const head = `${EMOJI[request.flagType]} *${FLAG_LABELS[request.flagType]}* on ${subjectLink(alationBaseUrl, request.subject)}`;
  const whom = mine ? `asked of ${reviewerWords(request)}` : `from <@${request.requester.userId}>`;
  const state =
    request.status === 'open' || request.status === 'deciding'
      ? `waiting since ${relative(request.createdAt, now)}`
      : (outcomeLine(request)?.split('\n')[0] ?? request.status);
  return `${head} · ${whom} · ${state}`;
}

/** `/alation flag requests` and App Home: requests waiting for me, then the ones I made. */
export function buildFlagRequestList(input: RequestListInput): SlackMessage {
  const blocks: KnownBlock[] = [];
  blocks.push(section('*Waiting for you*'));
  if (input.waiting.length === 0) {
    blocks.push(context('Nothing is waiting for your decision.'));
  }
  for (const request of input.waiting) {
    blocks.push(section(listLine(request, input.alationBaseUrl, input.now, false)), {
      type: 'actions',
      elements: reviewButtons(request),
    });
  }
  blocks.push(section('*Requests you made*'));
  if (input.mine.length === 0) {
    blocks.push(
      context('None yet. `/alation flag request table 12` asks a steward to flag an object.'),
    );
  }
  for (const request of input.mine) {
    blocks.push(section(listLine(request, input.alationBaseUrl, input.now, true)));
    if (request.status === 'open') {
      blocks.push({
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: ACTION_REQUEST_WITHDRAW,
            text: plainText('Withdraw'),
            value: request.id,
          },
        ],
      });
    }
  }
  return {
    text: `Trust flag requests: ${input.waiting.length} waiting for you, ${input.mine.length} you made`,
    blocks: blocks.slice(0, 50),
  };
}
