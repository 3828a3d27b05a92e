// `/alation digest list`: each digest with its schedule in words, next and last run, and the
// buttons that manage it. Pure: digests and their next runs in, Block Kit out.
import type { ActionsBlock, KnownBlock } from '@slack/types';
import type { Digest, DigestParams } from '../store/digests.ts';
import { cronToWords } from './cron.ts';
import { KIND_LABELS } from './digest-modal.ts';
import type { SlackMessage } from './help.ts';
import { inZone, relative } from './time.ts';

export const ACTION_DIGEST_RUN_NOW = 'digest_run_now';
export const ACTION_DIGEST_PAUSE = 'digest_pause';
export const ACTION_DIGEST_RESUME = 'digest_resume';
export const ACTION_DIGEST_EDIT = 'digest_edit';
export const ACTION_DIGEST_DELETE = 'digest_delete';
export const ACTION_DIGEST_NEW = 'digest_new';

/** Three blocks each, under Slack's 50 with the header and the overflow line. */
const MAX_LISTED = 15;

const mrkdwn = (text: string) => ({ type: 'mrkdwn' as const, text });
const plain = (text: string) => ({ type: 'plain_text' as const, text, emoji: true });
const escapeText = (t: string) =>
  t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function describeParams(p: DigestParams): string {
  switch (p.kind) {
    case 'query_result':
      return `latest result of query ${p.queryId}${p.attachCsv ? ' with CSV' : ''}${p.onlyIfChanged ? ', only when it changed' : ''}`;
    case 'failed_runs':
      return `failed query runs${p.queryId ? ` of query ${p.queryId}` : ''}${p.datasourceId ? ` on data source ${p.datasourceId}` : ''}`;
    case 'flag_changes':
      return `${p.onlyWarnings ? 'new deprecations and warnings' : 'new trust flags'}${p.subject ? ` on ${p.subject.otype} ${p.subject.id}` : ''}`;
    case 'mode_runs':
      return `${p.only ? `${p.only} ` : 'finished '}query runs of Mode report ${p.workspace}/${p.report}${p.run ? `, run ${p.run}` : ''}`;
  }
}

const OUTCOME_ICONS = { posted: ':white_check_mark:', skipped: ':fast_forward:', failed: ':x:' };

function lastRun(d: Digest, now: Date): string {
  if (!d.lastRunAt || !d.lastOutcome) return 'never ran';
  const detail = d.lastOutcome === 'skipped' && d.lastDetail === 'unchanged' ? ' (unchanged)' : '';
  const failed =
    d.lastOutcome === 'failed' && d.lastDetail ? ` (${d.lastDetail.replace(/_/g, ' ')})` : '';
  return `${OUTCOME_ICONS[d.lastOutcome]} ${d.lastOutcome}${detail}${failed} ${relative(d.lastRunAt, now)}`;
}

function buttons(d: Digest): ActionsBlock {
  return {
    type: 'actions',
    block_id: `digest_${d.id}`,
    elements: [
      { type: 'button', action_id: ACTION_DIGEST_RUN_NOW, text: plain('Run now'), value: d.id },
      d.status === 'active'
        ? { type: 'button', action_id: ACTION_DIGEST_PAUSE, text: plain('Pause'), value: d.id }
        : { type: 'button', action_id: ACTION_DIGEST_RESUME, text: plain('Resume'), value: d.id },
      { type: 'button', action_id: ACTION_DIGEST_EDIT, text: plain('Edit'), value: d.id },
      {
        type: 'button',
        action_id: ACTION_DIGEST_DELETE,
        text: plain('Delete'),
        value: d.id,
        style: 'danger',
        confirm: {
          title: plain('Delete this digest?'),
          text: mrkdwn(
            `*${escapeText(d.name)}* will stop posting in <#${d.channelId}>. This cannot be undone.`,
          ),
          confirm: plain('Delete'),
          deny: plain('Keep it'),
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
  notice?: string;
}): SlackMessage {
  const { digests, now } = input;
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
  blocks.push({ type: 'section', text: mrkdwn(`*Your digests* (${digests.length})`) });
  for (const d of digests.slice(0, MAX_LISTED)) {
    const next = input.next.get(d.id);
    const status =
      d.status === 'paused'
        ? `:double_vertical_bar: *Paused*${d.pausedReason ? ` after failures (${d.pausedReason.replace(/_/g, ' ')})` : ''}`
        : `Next: ${next ? inZone(next, d.tz) : 'unknown'}`;
    blocks.push({ type: 'divider' });
    blocks.push({
      type: 'section',
      text: mrkdwn(
        `*${escapeText(d.name)}* → <#${d.channelId}> · ${KIND_LABELS[d.params.kind]}: ${escapeText(describeParams(d.params))}\n` +
          `${cronToWords(d.cron)} (${d.tz}) · ${status} · Last: ${lastRun(d, now)}`,
      ),
    });
    blocks.push(buttons(d));
  }
  if (digests.length > MAX_LISTED) {
    blocks.push({
      type: 'context',
      elements: [
        mrkdwn(
          `…and ${digests.length - MAX_LISTED} more, not shown: Slack allows only so much in one message.`,
        ),
      ],
    });
  }
  return { text: `Your digests (${digests.length})`, blocks };
}
