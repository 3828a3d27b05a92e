// The hostile-text table for trust-flag requests (issue 20): the review card in every state, the
// receipt, outcome, reminder, question and list, and the request forms. Every free-text field
// (object names and types, reasons, denial notes, questions, Alation's refusal) gets it raw.
import type { FlagType } from '../../../src/client/alation.ts';
import type { FlagRequest, FlagRequestStatus } from '../../../src/store/flag-requests.ts';
import { escapeMrkdwn } from '../../../src/views/blocks.ts';
import * as flagRequest from '../../../src/views/flag-request.ts';
import * as flagRequestModal from '../../../src/views/flag-request-modal.ts';
import { BASE, type Builder, EARLIER, NOW, trustFlag } from './hostile-fixtures.ts';

const STATUSES: FlagRequestStatus[] = [
  'open',
  'deciding',
  'approved',
  'denied',
  'withdrawn',
  'expired',
];

export function hostileRequest(
  h: string,
  status: FlagRequestStatus = 'open',
  flagType: FlagType = 'DEPRECATION',
): FlagRequest {
  return {
    id: 'req-1',
    requester: { tenantId: 'T1', userId: 'U1' },
    subject: { otype: h, id: 12, name: h },
    flagType,
    reason: h,
    reviewer: { channelId: 'C1' },
    card: { channelId: 'C1', ts: '1.2' },
    receipt: { channelId: 'D1', ts: '1.3' },
    status,
    claimedBy: status === 'deciding' ? 'U2' : null,
    decidedBy: ['approved', 'denied'].includes(status) ? 'U2' : null,
    decidedAt: status === 'open' ? null : NOW,
    decisionNote: status === 'denied' ? h : null,
    finalFlagType: status === 'approved' ? 'WARNING' : null,
    finalReason: status === 'approved' ? `${h} changed` : null,
    flagId: status === 'approved' ? 9 : null,
    lastRefusal: status === 'open' ? h : null,
    createdAt: EARLIER,
    remindAt: NOW,
    remindedAt: null,
    expiresAt: new Date(NOW.getTime() + 86_400_000),
  };
}

const all = (h: string) => STATUSES.map((s) => hostileRequest(h, s));

export const FLAG_REQUEST_BUILDERS: Record<string, Record<string, Builder>> = {
  'flag-request.ts': {
    outcomeLine: (h) =>
      all(h).map((r) => ({ type: 'mrkdwn', text: flagRequest.outcomeLine(r) ?? '' })),
    buildReviewCard: (h) =>
      all(h).map((request) =>
        flagRequest.buildReviewCard({
          request,
          currentFlags: [trustFlag(h), trustFlag(h, 'WARNING')],
          alationBaseUrl: BASE,
          now: NOW,
        }),
      ),
    buildRequestReceipt: (h) => all(h).map((r) => flagRequest.buildRequestReceipt(r, BASE)),
    buildRequestOutcomeMessage: (h) =>
      all(h).map((r) => flagRequest.buildRequestOutcomeMessage(r, BASE)),
    buildRequestReminder: (h) => flagRequest.buildRequestReminder(hostileRequest(h), NOW),
    buildRequestQuestion: (h) => flagRequest.buildRequestQuestion('U2', h),
    buildRequestNotice: (h) => flagRequest.buildRequestNotice(escapeMrkdwn(h)),
    buildFlagRequestList: (h) =>
      flagRequest.buildFlagRequestList({
        mine: all(h),
        waiting: [hostileRequest(h)],
        alationBaseUrl: BASE,
        now: NOW,
      }),
  },
  'flag-request-modal.ts': {
    buildRequestFlagModal: (h) =>
      flagRequestModal.buildRequestFlagModal({
        privateMetadata: h,
        values: { otype: h, subjectId: h, flagType: 'WARNING', reason: h },
        subject: { otype: h, id: 12, name: h },
        notice: h,
        problem: h,
      }),
    buildApproveChangesModal: (h) =>
      flagRequestModal.buildApproveChangesModal({
        privateMetadata: h,
        request: hostileRequest(h),
        values: { flagType: 'DEPRECATION', reason: h },
        problem: h,
      }),
    buildDenyModal: (h) =>
      flagRequestModal.buildDenyModal({
        privateMetadata: h,
        request: hostileRequest(h),
        problem: h,
      }),
    buildAskModal: (h) =>
      flagRequestModal.buildAskModal({
        privateMetadata: h,
        request: hostileRequest(h),
        problem: h,
      }),
    buildAddRefusedModal: (h) =>
      flagRequestModal.buildAddRefusedModal({
        privateMetadata: h,
        values: { otype: h, subjectId: h, flagType: 'WARNING', reason: h },
      }),
  },
};
