import type { View } from '@slack/types';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  MAX_PRIVATE_METADATA,
  type ModalSubmission,
  type Outcome,
  outcomeWithin,
  readMetadata,
  submitModal,
} from '../../../src/slack/modal-submission.ts';

const notice = (text: string): View => ({
  type: 'modal',
  title: { type: 'plain_text', text: 'Test' },
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
});

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A submission whose renderers say what they were given, with a recording ack and client. */
function submission(work: Promise<string>) {
  const ack = vi.fn(async (_answer?: unknown) => {});
  const update = vi.fn(async (_args: { view_id: string; view: View }) => ({ ok: true }));
  const input: ModalSubmission<string> = {
    ack,
    client: { views: { update } } as unknown as ModalSubmission<string>['client'],
    viewId: 'V1',
    work,
    budgetMs: 20,
    inline: (outcome) =>
      outcome.ok
        ? undefined
        : { response_action: 'errors', errors: { field: `refused: ${String(outcome.error)}` } },
    progress: () => notice('working…'),
    final: (outcome: Outcome<string>) =>
      notice(outcome.ok ? `done: ${outcome.value}` : `failed: ${String(outcome.error)}`),
  };
  return { input, ack, update };
}

describe('submitModal', () => {
  it('closes the modal when the work succeeds in time, and returns the value', async () => {
    const { input, ack, update } = submission(Promise.resolve('flag 9'));
    await expect(submitModal(input)).resolves.toEqual({ ok: true, value: 'flag 9' });
    expect(ack).toHaveBeenCalledTimes(1);
    expect(ack).toHaveBeenCalledWith();
    expect(update).not.toHaveBeenCalled();
  });

  it('answers a failure in time with the inline errors the caller renders', async () => {
    const { input, ack, update } = submission(Promise.reject(new Error('no such table')));
    const outcome = await submitModal(input);
    expect(outcome.ok).toBe(false);
    expect(ack).toHaveBeenCalledWith({
      response_action: 'errors',
      errors: { field: 'refused: Error: no such table' },
    });
    expect(update).not.toHaveBeenCalled();
  });

  it('can answer in time with a view of the caller’s choosing', async () => {
    const { input, ack } = submission(Promise.resolve('x'));
    await submitModal({
      ...input,
      inline: () => ({ response_action: 'update', view: notice('all set') }),
    });
    expect(ack).toHaveBeenCalledWith({ response_action: 'update', view: notice('all set') });
  });

  it('shows progress when the work is late, then replaces it with the outcome', async () => {
    const late = deferred<string>();
    const { input, ack, update } = submission(late.promise);
    const answered = submitModal(input);
    await vi.waitFor(() => expect(ack).toHaveBeenCalled());
    expect(ack).toHaveBeenCalledWith({ response_action: 'update', view: notice('working…') });
    expect(update).not.toHaveBeenCalled();
    late.resolve('query 4');
    await expect(answered).resolves.toEqual({ ok: true, value: 'query 4' });
    expect(update).toHaveBeenCalledWith({ view_id: 'V1', view: notice('done: query 4') });
    expect(ack).toHaveBeenCalledTimes(1);
  });

  it('shows a late failure in the final view, not as inline errors', async () => {
    const late = deferred<string>();
    const { input, ack, update } = submission(late.promise);
    const answered = submitModal(input);
    await vi.waitFor(() => expect(ack).toHaveBeenCalled());
    late.reject('timeout');
    await expect(answered).resolves.toEqual({ ok: false, error: 'timeout' });
    expect(ack).toHaveBeenCalledTimes(1);
    expect(update).toHaveBeenCalledWith({ view_id: 'V1', view: notice('failed: timeout') });
  });

  it('lets a failing views.update reach the caller', async () => {
    const late = deferred<string>();
    const { input, ack, update } = submission(late.promise);
    update.mockRejectedValueOnce(new Error('view_not_found'));
    const answered = submitModal(input);
    await vi.waitFor(() => expect(ack).toHaveBeenCalled());
    late.resolve('x');
    await expect(answered).rejects.toThrow('view_not_found');
  });
});

describe('outcomeWithin', () => {
  it('gives the outcome of work that settles in time, a failure included', async () => {
    await expect(outcomeWithin(Promise.resolve(3), 20)).resolves.toEqual({ ok: true, value: 3 });
    await expect(outcomeWithin(Promise.reject('no'), 20)).resolves.toEqual({
      ok: false,
      error: 'no',
    });
  });

  it('gives undefined when the work is late', async () => {
    const late = deferred<number>();
    await expect(outcomeWithin(late.promise, 5)).resolves.toBeUndefined();
    late.resolve(1);
  });
});

describe('readMetadata', () => {
  const schema = z.object({ responseUrl: z.string().optional(), flagId: z.number() });
  const fallback = { flagId: 0 };

  it('reads what the bot wrote', () => {
    const raw = JSON.stringify({ responseUrl: 'https://hooks.slack.com/x', flagId: 9 });
    expect(readMetadata(raw, schema, fallback)).toEqual({
      responseUrl: 'https://hooks.slack.com/x',
      flagId: 9,
    });
  });

  it.each([
    ['empty', ''],
    ['not JSON', '{"flagId": 9'],
    ['JSON null', 'null'],
    ['a JSON string', '"9"'],
    ['a wrong field type', '{"flagId": "9"}'],
    ['a missing field', '{"responseUrl": "https://hooks.slack.com/x"}'],
    ['oversized', JSON.stringify({ flagId: 9, pad: 'x'.repeat(MAX_PRIVATE_METADATA) })],
  ])('gives the fallback for %s metadata, never a throw', (_what, raw) => {
    expect(readMetadata(raw, schema, fallback)).toBe(fallback);
  });

  it('gives the fallback when Slack sent no metadata at all', () => {
    expect(readMetadata(undefined, schema, fallback)).toBe(fallback);
  });
});
