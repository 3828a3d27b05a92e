// A trust-flag request as the bot works with it, and how a flag_requests row becomes one.
import type { FlagType } from '../client/alation.ts';
import type { Owner } from './credentials.ts';

export type FlagRequestStatus =
  | 'open'
  | 'deciding'
  | 'approved'
  | 'denied'
  | 'withdrawn'
  | 'expired';

export type FlagRequestEventKind =
  | 'requested'
  | 'approved'
  | 'denied'
  | 'refused'
  | 'withdrawn'
  | 'reminded'
  | 'expired'
  | 'asked';

/** Who decides: one person, or anyone in a stewards' channel. */
export type Reviewer = { userId: string } | { channelId: string };

export interface FlagRequest {
  id: string;
  /** The workspace (or Enterprise Grid org) and the person who asked. */
  requester: Owner;
  subject: { otype: string; id: number; name?: string | undefined };
  flagType: FlagType;
  reason: string;
  reviewer: Reviewer;
  card: { channelId: string; ts: string } | undefined;
  receipt: { channelId: string; ts: string } | undefined;
  status: FlagRequestStatus;
  claimedBy: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  decisionNote: string | null;
  finalFlagType: FlagType | null;
  finalReason: string | null;
  flagId: number | null;
  lastRefusal: string | null;
  createdAt: Date;
  remindAt: Date;
  remindedAt: Date | null;
  expiresAt: Date;
}

export interface FlagRequestEvent {
  at: Date;
  actorId: string | null;
  event: FlagRequestEventKind;
  flagId: number | null;
  flagType: FlagType | null;
  detail: string | null;
}

export interface Row {
  id: string;
  tenant_id: string;
  team_id?: string | null;
  requester_id: string;
  subject_otype: string;
  subject_id: string | number;
  subject_name: string | null;
  flag_type: FlagType;
  reason: string;
  reviewer_user_id: string | null;
  reviewer_channel_id: string | null;
  card_channel_id: string | null;
  card_ts: string | null;
  receipt_channel_id: string | null;
  receipt_ts: string | null;
  status: FlagRequestStatus;
  claimed_by: string | null;
  decided_by: string | null;
  decided_at: Date | string | null;
  decision_note: string | null;
  final_flag_type: FlagType | null;
  final_reason: string | null;
  flag_id: string | number | null;
  last_refusal: string | null;
  created_at: Date | string;
  remind_at: Date | string;
  reminded_at: Date | string | null;
  expires_at: Date | string;
}

export const date = (v: Date | string) => new Date(v);
const maybeDate = (v: Date | string | null) => (v === null ? null : new Date(v));

export function toRequest(r: Row): FlagRequest {
  return {
    id: r.id,
    requester: {
      tenantId: r.tenant_id,
      userId: r.requester_id,
      ...(r.team_id ? { teamId: r.team_id } : {}),
    },
    subject: {
      otype: r.subject_otype,
      id: Number(r.subject_id),
      ...(r.subject_name ? { name: r.subject_name } : {}),
    },
    flagType: r.flag_type,
    reason: r.reason,
    reviewer: r.reviewer_user_id
      ? { userId: r.reviewer_user_id }
      : { channelId: r.reviewer_channel_id ?? '' },
    card:
      r.card_channel_id && r.card_ts ? { channelId: r.card_channel_id, ts: r.card_ts } : undefined,
    receipt:
      r.receipt_channel_id && r.receipt_ts
        ? { channelId: r.receipt_channel_id, ts: r.receipt_ts }
        : undefined,
    status: r.status,
    claimedBy: r.claimed_by,
    decidedBy: r.decided_by,
    decidedAt: maybeDate(r.decided_at),
    decisionNote: r.decision_note,
    finalFlagType: r.final_flag_type,
    finalReason: r.final_reason,
    flagId: r.flag_id === null ? null : Number(r.flag_id),
    lastRefusal: r.last_refusal,
    createdAt: date(r.created_at),
    remindAt: date(r.remind_at),
    remindedAt: maybeDate(r.reminded_at),
    expiresAt: date(r.expires_at),
  };
}
