import { describe, expect, it } from 'vitest';
import {
  buildFlagRequestList,
  buildRequestOutcomeMessage,
  buildRequestReceipt,
  buildReviewCard,
  outcomeLine,
} from '../../../src/views/flag-request.ts';
import { textOf } from '../../support/flows.ts';
import { hostileRequest } from './hostile-builders-flag-requests.ts';
import { BASE, EARLIER, NOW, trustFlag } from './hostile-fixtures.ts';

const request = (status: Parameters<typeof hostileRequest>[1] = 'open') => ({
  ...hostileRequest('orders', status),
  subject: { otype: 'table', id: 12, name: 'orders' },
  reason: 'Replaced by orders_v2',
  lastRefusal: null as string | null,
});

const actionIds = (message: { blocks: unknown[] }) =>
  (message.blocks as { type: string; elements?: { action_id?: string }[] }[])
    .flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []))
    .map((e) => e.action_id);

const card = (r: ReturnType<typeof request>, extra = {}) =>
  buildReviewCard({ request: r, currentFlags: [], alationBaseUrl: BASE, now: NOW, ...extra });

describe('the review card', () => {
  it('while open: what is asked, of whom, by whom, the flags now, and the four decisions', () => {
    const open = card(request(), { currentFlags: [trustFlag('Late loads', 'WARNING')] });
    const text = textOf(open);
    expect(text).toContain(`<@U1> asks <#C1> to deprecate <${BASE}/table/12/|orders> (table 12)`);
    expect(text).toContain('>Replaced by orders_v2');
    expect(text).toContain('*Flags on it now:*');
    expect(text).toContain('Late loads');
    expect(text).toContain(
      `Asked <!date^${EARLIER.getTime() / 1000}^{date_short_pretty} at {time}|2026-11-22T09:00:00Z> by <@U1>`,
    );
    expect(actionIds(open)).toEqual([
      'flag_request_approve',
      'flag_request_changes',
      'flag_request_deny',
      'flag_request_ask',
      'flag_open_subject',
    ]);
  });

  it('says why Alation refused the last approver and stays open', () => {
    const refused = card({ ...request(), lastRefusal: 'Alation did not let the last approver.' });
    expect(textOf(refused)).toContain('still open for someone who may');
    expect(actionIds(refused)).toContain('flag_request_approve');
  });

  it('shows progress without buttons while an approval is under way', () => {
    const busy = card(request(), { approvingBy: 'U2' });
    expect(textOf(busy)).toContain('<@U2> is approving');
    expect(actionIds(busy)).toEqual([]);
  });

  it.each([
    ['approved', '*Approved by <@U2>* with changes: the warning is in Alation (flag 9)'],
    ['denied', '*Denied by <@U2>*'],
    ['withdrawn', '*Withdrawn* by <@U1>'],
    ['expired', '*Expired*'],
  ] as const)('once %s: says so and keeps only Open in Alation', (status, line) => {
    const closed = card(request(status));
    expect(textOf(closed)).toContain(line);
    expect(actionIds(closed)).toEqual(['flag_open_subject']);
    expect(closed.text).toContain(`(${status})`);
  });

  it('approved as asked says no "with changes"', () => {
    const asked = {
      ...request('approved'),
      finalFlagType: 'DEPRECATION' as const,
      finalReason: 'Replaced by orders_v2',
    };
    expect(outcomeLine(asked)).not.toContain('with changes');
  });
});

describe('the requester’s messages', () => {
  it('the receipt has Withdraw (behind a confirm) only while open', () => {
    const open = buildRequestReceipt(request(), BASE);
    expect(actionIds(open)).toEqual(['flag_request_withdraw']);
    expect(JSON.stringify(open)).toContain('Withdraw this request?');
    expect(actionIds(buildRequestReceipt(request('denied'), BASE))).toEqual([]);
  });

  it('the outcome names who decided and links the object', () => {
    const told = buildRequestOutcomeMessage(request('denied'), BASE);
    expect(textOf(told)).toContain('Denied by <@U2>');
    expect(JSON.stringify(told)).toContain(`${BASE}/table/12/`);
  });
});

describe('the list', () => {
  it('shows what waits for me with the decisions, and mine with Withdraw while open', () => {
    const list = buildFlagRequestList({
      waiting: [request()],
      mine: [request(), request('approved')],
      alationBaseUrl: BASE,
      now: NOW,
    });
    const text = textOf(list);
    expect(text).toContain('from <@U1>');
    expect(text).toContain('asked of <#C1>');
    expect(text).toContain('Approved by <@U2>');
    expect(actionIds(list)).toEqual([
      'flag_request_approve',
      'flag_request_changes',
      'flag_request_deny',
      'flag_request_ask',
      'flag_request_withdraw',
    ]);
  });

  it('says what to do when empty', () => {
    const text = textOf(
      buildFlagRequestList({ waiting: [], mine: [], alationBaseUrl: BASE, now: NOW }),
    );
    expect(text).toContain('Nothing is waiting for your decision.');
    expect(text).toContain('/alation flag request table 12');
  });
});
