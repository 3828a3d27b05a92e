// What the flag buttons carry. Every button holds all it needs (no server-side state), so a
// button pressed after a restart, or on another replica, still works.
import { z } from 'zod';
import { FLAG_TYPES, type FlagSubject, type FlagType } from '../client/alation.ts';

/** A flag as a button knows it: its id, and what it is about for the messages around it. */
export interface FlagRef {
  flagId: number;
  flagType?: FlagType;
  subject?: FlagSubject;
}

/** Keeps a button's value far below Slack's 2000 characters whatever otype Alation sends. */
const MAX_OTYPE = 64;

const refSchema = z.object({
  f: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  t: z.enum(FLAG_TYPES).optional(),
  o: z.string().min(1).max(MAX_OTYPE).optional(),
  i: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
});

export function encodeFlagRef(ref: FlagRef): string {
  const subject =
    ref.subject && ref.subject.otype.length <= MAX_OTYPE
      ? { o: ref.subject.otype, i: ref.subject.id }
      : {};
  return JSON.stringify({
    f: ref.flagId,
    ...(ref.flagType ? { t: ref.flagType } : {}),
    ...subject,
  });
}

/** A plain flag id ("9") is accepted too; anything unreadable is undefined. */
export function decodeFlagRef(value: string): FlagRef | undefined {
  if (/^\d{1,15}$/.test(value.trim())) {
    const flagId = Number(value.trim());
    return flagId > 0 ? { flagId } : undefined;
  }
  try {
    const parsed = refSchema.safeParse(JSON.parse(value));
    if (!parsed.success) return undefined;
    const { f, t, o, i } = parsed.data;
    return {
      flagId: f,
      ...(t ? { flagType: t } : {}),
      ...(o !== undefined && i !== undefined ? { subject: { otype: o, id: i } } : {}),
    };
  } catch {
    return undefined;
  }
}

/** A page of `/alation flag list`: whose flags (none = the most recent of all) and from where. */
export interface FlagListCursor {
  subject?: FlagSubject;
  skip: number;
}

const cursorSchema = z.object({
  o: z.string().min(1).max(MAX_OTYPE).optional(),
  i: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
  s: z.number().int().nonnegative().max(1_000_000),
});

export function encodeFlagListCursor(cursor: FlagListCursor): string {
  return JSON.stringify({
    ...(cursor.subject ? { o: cursor.subject.otype, i: cursor.subject.id } : {}),
    s: cursor.skip,
  });
}

export function decodeFlagListCursor(value: string): FlagListCursor | undefined {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(value));
    if (!parsed.success) return undefined;
    const { o, i, s } = parsed.data;
    if ((o === undefined) !== (i === undefined)) return undefined;
    return {
      skip: s,
      ...(o !== undefined && i !== undefined ? { subject: { otype: o, id: i } } : {}),
    };
  } catch {
    return undefined;
  }
}
