// Answering a modal submission. Slack gives a view submission 3 seconds for its answer, and
// inline errors can only be given in that answer. Work that settles in time is answered directly
// (errors, an updated view, or closing the modal); slower work gets a progress view now and the
// outcome through views.update when it comes. Every modal submits through `submitModal`, and
// reads what it carries in private_metadata with `readMetadata`.
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewResponseAction } from '@slack/bolt';
import type { View } from '@slack/types';
import { z } from 'zod';
import { SUBMIT_ACK_BUDGET_MS, withinBudget } from './within-budget.ts';

/** A call's outcome as a value, so one promise can be raced against Slack's clock and reused. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export function settle<T>(work: Promise<T>): Promise<Outcome<T>> {
  return work.then(
    (value): Outcome<T> => ({ ok: true, value }),
    (error: unknown): Outcome<T> => ({ ok: false, error }),
  );
}

/**
 * The outcome of `work` when it settles within `budgetMs`, else undefined (the work keeps
 * running; await it again for the outcome). For waits that must end before a deadline of
 * Slack's: a trigger id's 3 s, a submission's answer.
 */
export async function outcomeWithin<T>(
  work: Promise<T>,
  budgetMs: number,
): Promise<Outcome<T> | undefined> {
  const early = await withinBudget(settle(work), budgetMs);
  return early.done ? early.value : undefined;
}

export interface ModalSubmission<T> {
  /** The view submission's ack (Bolt types it for closings too). */
  ack: SlackViewMiddlewareArgs['ack'];
  client: { views: Pick<AllMiddlewareArgs['client']['views'], 'update'> };
  /** The submitted view's id; the outcome replaces it when the work is late. */
  viewId: string;
  work: Promise<T>;
  /** How long to wait before answering with progress; Slack closes the door at 3 s. */
  budgetMs?: number;
  /** The answer when the work settled in time: inline errors, a new view, or (undefined) close. */
  inline(outcome: Outcome<T>): ViewResponseAction | undefined;
  /** Shown at once when the work is late. */
  progress(): View;
  /** Replaces the progress view when late work settles. */
  final(outcome: Outcome<T>): View;
}

/**
 * Answers a submission within Slack's window and returns the work's outcome, once the modal
 * shows it, for what follows (an announcement). A failing views.update is the caller's to see.
 */
export async function submitModal<T>(submission: ModalSubmission<T>): Promise<Outcome<T>> {
  const { ack, client, viewId, inline, progress, final } = submission;
  const work = settle(submission.work);
  const early = await withinBudget(work, submission.budgetMs ?? SUBMIT_ACK_BUDGET_MS);
  if (early.done) {
    const answer = inline(early.value);
    await (answer ? ack(answer) : ack());
    return early.value;
  }
  await ack({ response_action: 'update', view: progress() });
  const outcome = await work;
  await client.views.update({ view_id: viewId, view: final(outcome) });
  return outcome;
}

/** Where a modal was opened from (its command's response_url and channel), to answer there. */
export const modalOriginSchema = z.object({
  responseUrl: z.string().optional(),
  channelId: z.string().optional(),
});

/** Slack's limit on private_metadata; anything longer was not written by this bot. */
export const MAX_PRIVATE_METADATA = 3000;

/**
 * What a modal carries in private_metadata (written with JSON.stringify), checked against
 * `schema`. Missing, oversized, malformed or unexpected metadata gives `fallback`; never throws.
 */
export function readMetadata<S extends z.ZodType>(
  raw: string | undefined,
  schema: S,
  fallback: z.output<S>,
): z.output<S> {
  if (!raw || raw.length > MAX_PRIVATE_METADATA) return fallback;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return fallback;
  }
  const read = schema.safeParse(parsed);
  return read.success ? read.data : fallback;
}
