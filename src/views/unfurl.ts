// Link unfurls for Alation catalog URLs: which object a URL names, and the compact card shown
// under a pasted link. Pure: everything the card shows comes in as arguments.
import type { KnownBlock } from '@slack/types';
import type { CatalogRef } from '../client/alation/links.ts';
import type { FlagType, TrustFlag } from '../client/alation.ts';
import { seenByLine, type Viewer } from './audience.ts';
import { escapeWithin } from './blocks.ts';
import { subjectWords } from './flag.ts';

export interface UnfurlCardInput {
  ref: CatalogRef;
  url: string;
  /** Known only for queries; other object types are named by kind and id. */
  title?: string | undefined;
  description?: string | undefined;
  /** E.g. the query's data source. */
  detail?: string | undefined;
  flags: TrustFlag[];
  /** The Slack user whose Alation access read it. */
  seenBy?: Viewer;
}

const BADGE: Record<FlagType, { emoji: string; word: string }> = {
  ENDORSEMENT: { emoji: ':white_check_mark:', word: 'Endorsed' },
  WARNING: { emoji: ':warning:', word: 'Warning' },
  DEPRECATION: { emoji: ':no_entry:', word: 'Deprecated' },
};

// Deprecations first: the most important thing to know before using an object.
const ORDER: Record<FlagType, number> = { DEPRECATION: 0, WARNING: 1, ENDORSEMENT: 2 };

/** One line: a card or badge has no room for line breaks. */
const flat = (text: string) => text.replace(/\s+/g, ' ').trim();

/** `:no_entry: *Deprecated* by Ann: use orders_v2`: one line per flag. */
export function badgeLine(flag: TrustFlag): string {
  const badge = BADGE[flag.flag_type];
  const by = flag.user.display_name ? ` by ${escapeWithin(flat(flag.user.display_name), 80)}` : '';
  const reason = flag.flag_reason.trim();
  return `${badge.emoji} *${badge.word}*${by}${reason ? `: ${escapeWithin(flat(reason), 300)}` : ''}`;
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The blocks of one link's unfurl: name, what it is, description, then its trust badges. */
export function buildUnfurlCard(input: UnfurlCardInput): { blocks: KnownBlock[] } {
  const words = subjectWords(input.ref);
  const title = input.title?.trim();
  // `|` and `>` would end Slack's link markup early.
  const label = (title ? escapeWithin(flat(title), 150) : capitalise(words)).replace(/\|/g, '¦');
  const lines = [`*<${input.url}|${label}>*${title ? ` · ${words}` : ''}`];
  if (input.detail) lines.push(escapeWithin(flat(input.detail), 200));
  const description = input.description?.trim();
  if (description) lines.push(escapeWithin(flat(description), 500));
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } },
  ];
  const flags = [...input.flags].sort((a, b) => ORDER[a.flag_type] - ORDER[b.flag_type]);
  const shown = flags.slice(0, 5);
  const badges = shown.map(badgeLine);
  if (flags.length > shown.length) badges.push(`…and ${flags.length - shown.length} more flags`);
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: badges.length > 0 ? badges.join('\n') : 'No trust flags.',
      },
      // Everyone in the channel sees what one person's access showed (issue 18): say whose.
      ...(input.seenBy
        ? [{ type: 'mrkdwn' as const, text: seenByLine(undefined, input.seenBy) }]
        : []),
    ],
  });
  return { blocks };
}
