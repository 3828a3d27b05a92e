// `/alation digest list`: each digest with its schedule in words, next and last run, and the
// buttons that manage it. Pure: digests and their next runs in, Block Kit out.
import type { ActionsBlock, KnownBlock } from '@slack/types';
import type { Digest, DigestParams } from '../store/digests.ts';
import { escapeMrkdwn, mrkdwn, plainText } from './blocks.ts';
import { cronToWords } from './cron.ts';
import { KIND_LABELS } from './digest-modal.ts';
import type { SlackMessage } from './help.ts';
import { inZone, relative } from './time.ts';

export const ACTION_DIGEST_RUN_NOW = 'digest_run_now';
export const ACTION_DIGEST_PAUSE = 'digest_pause';
export const ACTION_DIGEST_RESUME = 'digest_resume';
export const ACTION_DIGEST_EDIT = 'digest_edit';
export const ACTION_DIGEST_DELETE = 'digest_delete';
/** Previous / Next page of the list; the value is the first digest's index on that page. */
export const ACTION_DIGEST_PAGE = 'digest_page';

/** Three blocks each, under Slack's 50 with the notice, the header and the paging buttons. */
export const MAX_LISTED = 15;

/** What a digest posts, in words; mrkdwn, with the Mode names and object type escaped. */
export function describeParams(p: DigestParams): string {
  switch (p.kind) {
    case 'query_result':
      return `latest result of query ${p.queryId}${attachments(p.attachCsv, p.includeChart !== false)}${p.onlyIfChanged ? ', only when it changed' : ''}${p.personal ? ', to each subscriber as themselves' : ''}`;
    case 'failed_runs':
      return `failed query runs${p.queryId ? ` of query ${p.queryId}` : ''}${p.datasourceId ? ` on data source ${p.datasourceId}` : ''}`;
    case 'flag_changes':
      return `${p.onlyWarnings ? 'new deprecations and warnings' : 'new trust flags'}${p.subject ? ` on ${escapeMrkdwn(p.subject.otype)} ${p.subject.id}` : ''}`;
    case 'mode_runs':
      return `${p.only ? `${p.only} ` : 'finished '}query runs of Mode report ${escapeMrkdwn(`${p.workspace}/${p.report}`)}${p.run ? `, run ${escapeMrkdwn(p.run)}` : ''}`;
  }
}

/** " with a chart and CSV", " with CSV", " with a chart" or nothing. */
function attachments(csv: boolean, chart: boolean): string {
  const parts = [...(chart ? ['a chart'] : []), ...(csv ? ['CSV'] : [])];
  return parts.length ? ` with ${parts.join(' and ')}` : '';
}

const OUTCOME_ICONS = { posted: ':white_check_mark:', skipped: ':fast_forward:', failed: ':x:' };

function lastRun(d: Digest, now: Date): string {
  if (!d.lastRunAt || !d.lastOutcome) return 'never ran';
  const detail = d.lastOutcome === 'skipped' && d.lastDetail === 'unchanged' ? ' (unchanged)' : '';
  const failed =
    d.lastOutcome === 'failed' && d.lastDetail
      ? ` (${escapeMrkdwn(d.lastDetail.replace(/_/g, ' '))})`
      : '';
  return `${OUTCOME_ICONS[d.lastOutcome]} ${d.lastOutcome}${detail}${failed} ${relative(d.lastRunAt, now)}`;
}

function buttons(d: Digest): ActionsBlock {
  return {
    type: 'actions',
    block_id: `digest_${d.id}`,
    elements: [
      { type: 'button', action_id: ACTION_DIGEST_RUN_NOW, text: plainText('Run now'), value: d.id },
      d.status === 'active'
        ? { type: 'button', action_id: ACTION_DIGEST_PAUSE, text: plainText('Pause'), value: d.id }
        : {
            type: 'button',
            action_id: ACTION_DIGEST_RESUME,
            text: plainText('Resume'),
            value: d.id,
          },
      { type: 'button', action_id: ACTION_DIGEST_EDIT, text: plainText('Edit'), value: d.id },
      {
        type: 'button',
        action_id: ACTION_DIGEST_DELETE,
        text: plainText('Delete'),
        value: d.id,
        style: 'danger',
        confirm: {
          title: plainText('Delete this digest?'),
          text: mrkdwn(
            `*${escapeMrkdwn(d.name)}* will stop posting in <#${d.channelId}>. This cannot be undone.`,
          ),
          confirm: plainText('Delete'),
          deny: plainText('Keep it'),
          style: 'danger',
        },
      },
    ],
  };
}

export function buildDigestList(input: {
  digests: Digest[];
  /** Next run per digest id (active ones). */
  next: Map<string, Date>;
  now: Date;
  /** mrkdwn the caller wrote (e.g. "Paused *name*."), with any name in it already escaped. */
  notice?: string;
  /** Index of the first digest shown (paging). */
  from?: number;
}): SlackMessage {
  const { digests, now } = input;
  const from = Math.min(Math.max(0, input.from ?? 0), Math.max(0, digests.length - 1));
  const blocks: KnownBlock[] = [];
  if (input.notice) blocks.push({ type: 'context', elements: [mrkdwn(input.notice)] });
  if (digests.length === 0) {
    blocks.push({
      type: 'section',
      text: mrkdwn(
        'You have no digests in this workspace yet. Create one with `/alation digest new`.',
      ),
    });
    return { text: 'You have no digests yet.', blocks };
  }
  const shown = digests.slice(from, from + MAX_LISTED);
  const range = digests.length > MAX_LISTED ? `, ${from + 1}–${from + shown.length} shown` : '';
  blocks.push({ type: 'section', text: mrkdwn(`*Your digests* (${digests.length}${range})`) });
  for (const d of shown) {
    const next = input.next.get(d.id);
    const status =
      d.status === 'paused'
        ? `:double_vertical_bar: *Paused*${d.pausedReason ? ` after failures (${escapeMrkdwn(d.pausedReason.replace(/_/g, ' '))})` : ''}`
        : `Next: ${next ? inZone(next, d.tz) : 'unknown'}`;
    blocks.push({ type: 'divider' });
    blocks.push({
      type: 'section',
      text: mrkdwn(
        `*${escapeMrkdwn(d.name)}* → <#${d.channelId}> · ${KIND_LABELS[d.params.kind]}: ${describeParams(d.params)}\n` +
          `${cronToWords(d.cron)} (${escapeMrkdwn(d.tz)}) · ${status} · Last: ${lastRun(d, now)}` +
          (d.audienceNote ? `\n:eyes: ${d.audienceNote}` : ''),
      ),
    });
    blocks.push(buttons(d));
  }
  const pages: ActionsBlock['elements'] = [];
  if (from > 0) {
    pages.push({
      type: 'button',
      action_id: `${ACTION_DIGEST_PAGE}_prev`,
      text: plainText('← Previous'),
      value: String(Math.max(0, from - MAX_LISTED)),
    });
  }
  if (from + MAX_LISTED < digests.length) {
    pages.push({
      type: 'button',
      action_id: `${ACTION_DIGEST_PAGE}_next`,
      text: plainText(`Next ${Math.min(MAX_LISTED, digests.length - from - MAX_LISTED)} →`),
      value: String(from + MAX_LISTED),
    });
  }
  if (pages.length > 0) blocks.push({ type: 'actions', elements: pages });
  return { text: `Your digests (${digests.length})`, blocks };
}
