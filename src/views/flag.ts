// Trust flag messages: the channel announcement, lists, the removal confirmation and the
// answers to what Alation refused. Pure: everything they show comes in as arguments.
import type { Button, ConfirmationDialog, KnownBlock } from '@slack/types';
import { catalogUrl } from '../client/alation/links.ts';
import type { FlagSubject, FlagType, TrustFlag } from '../client/alation.ts';
import { context, escapeMrkdwn, escapeWithin, plainText, section } from './blocks.ts';
import { encodeFlagRef, type FlagRef } from './flag-ref.ts';
import type { SlackMessage } from './help.ts';
import { when } from './time.ts';

export const ACTION_FLAG_EDIT = 'flag_edit_reason';
/** Carries a Slack confirm dialog; Slack only sends the action once the person confirmed. */
export const ACTION_FLAG_REMOVE = 'flag_remove';
/** The Remove button of `/alation flag remove`'s confirmation message (already confirmed). */
export const ACTION_FLAG_REMOVE_CONFIRMED = 'flag_remove_confirmed';
export const ACTION_FLAG_REMOVE_CANCEL = 'flag_remove_cancel';
export const ACTION_FLAG_LIST_MORE = 'flag_list_more';
/** Link button to the flagged object; Slack opens the URL and the action is only acknowledged. */
export const ACTION_FLAG_OPEN = 'flag_open_subject';

export const FLAG_LABELS: Record<FlagType, string> = {
  ENDORSEMENT: 'Endorsement',
  WARNING: 'Warning',
  DEPRECATION: 'Deprecation',
};

const EMOJI: Record<FlagType, string> = {
  ENDORSEMENT: ':white_check_mark:',
  WARNING: ':warning:',
  DEPRECATION: ':no_entry:',
};

/** What the announcement says the person did. */
const DID: Record<FlagType, string> = {
  ENDORSEMENT: 'endorsed',
  WARNING: 'put a warning on',
  DEPRECATION: 'deprecated',
};

/** The permission rule from Alation's trust flag API, said once, the same everywhere. */
export const REMOVE_RULE =
  'Alation lets a trust flag be removed only by its author, a Server Admin, or an Owner of the data source the object belongs to (and only with the global flag edit permission).';
export const EDIT_RULE =
  'Alation lets a flag’s reason be changed only by its author, a Server Admin, or an Owner of the data source the object belongs to (and only with the global flag edit permission).';
export const ENDORSEMENT_REASON_RULE =
  'Endorsements carry no reason: Alation’s API refuses a `flag_reason` on an ENDORSEMENT (it must be absent or blank) and cannot update one.';

function clip(text: string, max: number): string {
  const flat = text.trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** A flagged object, with its name when the bot could look it up. */
export interface SubjectRef extends FlagSubject {
  name?: string | undefined;
}

const OTYPE_WORDS: Record<string, string> = {
  data: 'data source',
  attribute: 'column',
  bi_report: 'BI report',
  bi_folder: 'BI folder',
  bi_datasource: 'BI data source',
  glossary_term: 'glossary term',
};

/** `table 12` as plain text, for plain_text objects (which Slack shows as written). */
function plainSubjectWords(subject: FlagSubject): string {
  const kind = OTYPE_WORDS[subject.otype] ?? subject.otype.replace(/_/g, ' ');
  return `${kind} ${subject.id}`;
}

/**
 * `table 12`, `data source 3`, `column 5`: how people say an object they only know by id; mrkdwn,
 * since the object type is whatever Alation sent.
 */
export function subjectWords(subject: FlagSubject): string {
  return escapeMrkdwn(plainSubjectWords(subject));
}

/** `<url|Daily revenue> (query 6)`, or `<url|table 12>` when the name is unknown. */
export function subjectLink(alationBaseUrl: string, subject: SubjectRef): string {
  const url = catalogUrl(alationBaseUrl, subject);
  const name = subject.name?.trim();
  // `|` and `>` would end Slack's link markup early.
  return name
    ? `<${url}|${escapeWithin(name, 150).replace(/\|/g, '¦')}> (${subjectWords(subject)})`
    : `<${url}|${subjectWords(subject)}>`;
}

const refOf = (flag: TrustFlag): FlagRef => ({
  flagId: flag.id,
  flagType: flag.flag_type,
  subject: { otype: flag.subject.otype, id: flag.subject.id },
});

/** The whole reason as people wrote it, quoted, never able to ping or link. */
function quoted(reason: string, max = 1500): string {
  return clip(escapeMrkdwn(reason), max)
    .split('\n')
    .map((line) => `>${line}`)
    .join('\n');
}

/** Remove, behind Slack's own "are you sure?" dialog. */
export function removeButton(flag: TrustFlag): Button {
  const what = `the ${FLAG_LABELS[flag.flag_type].toLowerCase()} on ${plainSubjectWords(flag.subject)}`;
  const confirm: ConfirmationDialog = {
    title: plainText('Remove this flag?'),
    text: plainText(
      clip(
        `Remove ${what}${flag.flag_reason ? ` (“${flag.flag_reason.replace(/\s+/g, ' ')}”)` : ''}? It disappears from Alation for everyone.`,
        300,
      ),
    ),
    confirm: plainText('Remove'),
    deny: plainText('Keep it'),
    style: 'danger',
  };
  return {
    type: 'button',
    action_id: ACTION_FLAG_REMOVE,
    text: plainText('Remove'),
    value: encodeFlagRef(refOf(flag)),
    confirm,
  };
}

/** Edit reason where it makes sense (not on endorsements, which have none), then Remove. */
export function flagButtons(flag: TrustFlag): Button[] {
  const buttons: Button[] = [];
  if (flag.flag_type !== 'ENDORSEMENT') {
    buttons.push({
      type: 'button',
      action_id: ACTION_FLAG_EDIT,
      text: plainText('Edit reason'),
      value: encodeFlagRef(refOf(flag)),
    });
  }
  buttons.push(removeButton(flag));
  return buttons;
}

export interface FlagAddedInput {
  flag: TrustFlag;
  subject: SubjectRef;
  /** Who added it, as a Slack mention. */
  slackUserId: string;
  alationBaseUrl: string;
}

/** "⚑ @alice deprecated Daily revenue (query 6): reason", for the whole channel. */
export function buildFlagAddedMessage(input: FlagAddedInput): SlackMessage {
  const { flag, subject } = input;
  const link = subjectLink(input.alationBaseUrl, subject);
  const did = DID[flag.flag_type];
  const reason = flag.flag_reason.trim();
  const line = `⚑ <@${input.slackUserId}> ${did} ${link}${reason ? `: ${escapeWithin(reason, 2000)}` : '.'}`;
  const named = subject.name?.trim()
    ? `${escapeMrkdwn(clip(subject.name, 150))} (${subjectWords(subject)})`
    : subjectWords(subject);
  return {
    text: `⚑ ${did} ${named}${reason ? `: ${escapeMrkdwn(clip(reason, 300))}` : ''}`,
    blocks: [
      section(`${EMOJI[flag.flag_type]} ${line}`),
      context(`${FLAG_LABELS[flag.flag_type]} · flag ${flag.id} · added in Alation as you`),
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: ACTION_FLAG_OPEN,
            text: plainText('Open in Alation'),
            url: catalogUrl(input.alationBaseUrl, subject),
          },
          ...flagButtons(flag),
        ],
      },
    ],
  };
}

export interface FlagListInput {
  flags: TrustFlag[];
  /** The object whose flags these are; undefined for the most recent flags of all. */
  subject: SubjectRef | undefined;
  alationBaseUrl: string;
  now: Date;
  zone: string | undefined;
  /** Position of the first flag shown, 1 on the first page. */
  firstIndex: number;
  /** The More button's value, or undefined on the last page. */
  more: string | undefined;
  /** The most recent list read only part of a very long list. */
  truncated?: boolean;
}

function authorOf(flag: TrustFlag): string {
  const name = flag.user.display_name?.trim();
  return name ? escapeWithin(name, 80) : `Alation user ${flag.user.id}`;
}

/** One flag in a list: type, subject (unless the list is about one), reason, who and when. */
export function flagLine(
  flag: TrustFlag,
  options: { showSubject: boolean; alationBaseUrl: string; now: Date; zone: string | undefined },
): string {
  const created = new Date(flag.ts_created);
  const at = Number.isNaN(created.getTime())
    ? escapeMrkdwn(flag.ts_created)
    : when(created, options.now, options.zone);
  const head = `${EMOJI[flag.flag_type]} *${FLAG_LABELS[flag.flag_type]}*${
    options.showSubject ? ` on ${subjectLink(options.alationBaseUrl, flag.subject)}` : ''
  }  ·  flag ${flag.id}`;
  const lines = [head];
  if (flag.flag_reason.trim()) lines.push(quoted(flag.flag_reason, 1200));
  lines.push(`by ${authorOf(flag)}, ${at}`);
  return lines.join('\n');
}

export function buildFlagList(input: FlagListInput): SlackMessage {
  const where = input.subject ? subjectLink(input.alationBaseUrl, input.subject) : undefined;
  if (input.flags.length === 0) {
    const line =
      input.firstIndex > 1
        ? 'No more trust flags.'
        : input.subject
          ? `No trust flags on ${where} that you can see. \`/alation flag add ${escapeMrkdwn(input.subject.otype)} ${input.subject.id}\` adds one.`
          : 'No trust flags that you can see yet. `/alation flag add <otype> <id>` adds one.';
    return { text: line, blocks: [section(`⚑ ${line}`)] };
  }
  const last = input.firstIndex + input.flags.length - 1;
  const range = `${input.firstIndex}–${last}${input.more ? ', more below' : ''}`;
  const header = where
    ? `⚑ *Trust flags on ${where}* (${range})`
    : `⚑ *Most recent trust flags*, newest first (${range})`;
  const blocks: KnownBlock[] = [section(header)];
  for (const flag of input.flags) {
    blocks.push(
      section(
        flagLine(flag, {
          showSubject: input.subject === undefined,
          alationBaseUrl: input.alationBaseUrl,
          now: input.now,
          zone: input.zone,
        }),
      ),
      { type: 'actions', elements: flagButtons(flag) },
    );
  }
  if (input.truncated && !input.more) {
    blocks.push(
      context('Alation holds more flags than the bot reads at once; older ones are not listed.'),
    );
  }
  if (input.more) {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: ACTION_FLAG_LIST_MORE,
          text: plainText('More'),
          value: input.more,
        },
      ],
    });
  }
  blocks.push(
    context('Alation decides who may edit or remove each flag; it says so if you may not.'),
  );
  const fallback = input.flags
    .map((f) => `${FLAG_LABELS[f.flag_type]} on ${subjectWords(f.subject)} (flag ${f.id})`)
    .join('; ');
  return { text: `Trust flags: ${fallback}`, blocks };
}

/** `/alation flag remove <id>`: what would go, and a button that does it. */
export function buildRemoveConfirmMessage(input: {
  flag: TrustFlag;
  alationBaseUrl: string;
  now: Date;
  zone: string | undefined;
}): SlackMessage {
  const { flag } = input;
  const line = flagLine(flag, { showSubject: true, ...input });
  return {
    text: `Remove flag ${flag.id}? Press Remove to confirm.`,
    blocks: [
      section(`*Remove this flag?* It disappears from Alation for everyone.\n${line}`),
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: ACTION_FLAG_REMOVE_CONFIRMED,
            text: plainText('Remove'),
            style: 'danger',
            value: encodeFlagRef(refOf(flag)),
          },
          {
            type: 'button',
            action_id: ACTION_FLAG_REMOVE_CANCEL,
            text: plainText('Keep it'),
            value: String(flag.id),
          },
        ],
      },
    ],
  };
}

/** "the deprecation on table 12 (flag 9)", or "flag 9" when the button did not say more. */
export function refWords(ref: FlagRef): string {
  if (!ref.flagType || !ref.subject) return `flag ${ref.flagId}`;
  return `the ${FLAG_LABELS[ref.flagType].toLowerCase()} on ${subjectWords(ref.subject)} (flag ${ref.flagId})`;
}

function notice(line: string): SlackMessage {
  return { text: line, blocks: [section(line)] };
}

export function buildFlagRemovedMessage(ref: FlagRef, slackUserId: string): SlackMessage {
  return notice(`:wastebasket: <@${slackUserId}> removed ${refWords(ref)} in Alation.`);
}

export function buildRemoveCancelledMessage(flagId: number): SlackMessage {
  return notice(`Kept flag ${flagId}; nothing was removed.`);
}

export function buildFlagGoneMessage(
  ref: FlagRef,
  doing: 'remove' | 'edit' | 'show',
): SlackMessage {
  const tail =
    doing === 'remove'
      ? 'Someone removed it already (or the id is wrong), so there is nothing left to remove.'
      : 'It was removed (or the id is wrong). `/alation flag list` shows the flags there are.';
  return notice(`:ghost: ${capitalise(refWords(ref))} is already gone from Alation. ${tail}`);
}

export function buildFlagForbiddenMessage(ref: FlagRef, doing: 'remove' | 'edit'): SlackMessage {
  const what =
    doing === 'remove' ? `remove ${refWords(ref)}` : `change the reason of ${refWords(ref)}`;
  const rule = doing === 'remove' ? REMOVE_RULE : EDIT_RULE;
  return notice(
    `:no_entry_sign: Alation did not let you ${what}. ${rule} Ask the flag’s author or an admin.`,
  );
}

export function buildEndorsementRefusal(flagId: number): SlackMessage {
  return notice(
    `:information_source: Flag ${flagId} is an endorsement, so it has no reason to edit. ${ENDORSEMENT_REASON_RULE} To explain a concern, remove it and add a Warning or Deprecation instead.`,
  );
}

export function buildFlagUpdatedMessage(flag: TrustFlag, alationBaseUrl: string): SlackMessage {
  const line = `:pencil2: Updated the reason of the ${FLAG_LABELS[flag.flag_type].toLowerCase()} on ${subjectLink(alationBaseUrl, flag.subject)} (flag ${flag.id}):\n${quoted(flag.flag_reason)}`;
  return {
    text: `Updated the reason of flag ${flag.id}`,
    blocks: [section(line), { type: 'actions', elements: flagButtons(flag) }],
  };
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
