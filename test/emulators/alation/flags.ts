// Trust check flags (endorse / warn / deprecate) and the otype list they validate against.
import type { IncomingCall, Reply } from '../faults.ts';
import { empty, json } from '../faults.ts';
import { authed } from './auth.ts';
import { subjectDataSource } from './catalog.ts';
import { listReply } from './filters.ts';
import type { AlationEnv, AlationUser, FlagType, TrustFlag } from './state.ts';
import { FLAG_TYPES, nextId } from './state.ts';
import type { Route } from './wire.ts';
import { bodyRejection, forbidden, isBlank, isoMicro, notFound, required, toInt } from './wire.ts';

export interface FlagSeed {
  id?: number;
  flagType: FlagType;
  reason?: string;
  subject: { otype: string; id: number };
  userId: number;
  tsCreated?: Date;
}

/** Seeds a flag directly, skipping the API's validation (for arranging fixtures). */
export function addFlag(env: AlationEnv, seed: FlagSeed): TrustFlag {
  const flag: TrustFlag = {
    id: nextId(env.state, 'flag', seed.id),
    flagType: seed.flagType,
    reason: seed.reason ?? '',
    subjectOtype: seed.subject.otype,
    subjectId: seed.subject.id,
    userId: seed.userId,
    tsCreated: seed.tsCreated ?? env.clock.now(),
  };
  env.state.flags.set(flag.id, flag);
  return flag;
}

const INVALID_OTYPE = { subject: ['Invalid otype'] };

function userRef(env: AlationEnv, userId: number) {
  const user = env.state.users.get(userId);
  return { id: userId, url: `/user/${userId}/`, display_name: user?.displayName ?? '' };
}

// The single-flag responses (POST/GET/PUT) and the list use different subject shapes in the
// docs – id as a string and no trailing slash vs. a number and a trailing slash. Both are
// reproduced on purpose so the client has to cope with each.
function renderFlag(env: AlationEnv, f: TrustFlag) {
  return {
    id: f.id,
    flag_type: f.flagType,
    ts_created: isoMicro(f.tsCreated),
    flag_reason: f.reason,
    subject: {
      id: String(f.subjectId),
      url: `/${f.subjectOtype}/${f.subjectId}`,
      otype: f.subjectOtype,
    },
    user: userRef(env, f.userId),
  };
}

function renderListedFlag(env: AlationEnv, f: TrustFlag) {
  return {
    id: f.id,
    flag_type: f.flagType,
    flag_reason: f.reason,
    ts_created: isoMicro(f.tsCreated),
    subject: { url: `/${f.subjectOtype}/${f.subjectId}/`, otype: f.subjectOtype, id: f.subjectId },
    user: userRef(env, f.userId),
  };
}

type Errors = Record<string, string[]>;

function validateSubject(
  env: AlationEnv,
  raw: unknown,
  errors: Errors,
): { otype: string; id: number } | null {
  if (!raw || typeof raw !== 'object') {
    errors.subject = ['This field is required.'];
    return null;
  }
  const subject = raw as { otype?: unknown; id?: unknown };
  if (typeof subject.otype !== 'string' || !env.knobs.otypes.includes(subject.otype)) {
    errors.subject = INVALID_OTYPE.subject;
    return null;
  }
  const id = toInt(subject.id);
  // Assumption: a subject that doesn't exist is a field error on subject.
  if (id === null || subjectDataSource(env, subject.otype, id) === undefined) {
    errors.subject = [`No ${subject.otype} object with id ${String(subject.id)}.`];
    return null;
  }
  return { otype: subject.otype, id };
}

/** Reason rules: required for WARNING/DEPRECATION, absent or blank for ENDORSEMENT. */
function reasonError(flagType: FlagType, reason: unknown): string | null {
  if (flagType === 'ENDORSEMENT')
    return isBlank(reason) ? null : 'ENDORSEMENT flags cannot have a flag_reason.';
  return isBlank(reason) ? `This field is required for ${flagType} flags.` : null;
}

function createFlag(env: AlationEnv, call: IncomingCall, user: AlationUser): Reply {
  const rejected = bodyRejection(call);
  if (rejected) return rejected;
  if (!user.canEditFlags) return forbidden();
  const fields = call.fields ?? {};
  const errors: Errors = {};
  const flagType = fields.flag_type;
  if (isBlank(flagType)) errors.flag_type = ['This field is required.'];
  else if (!FLAG_TYPES.includes(flagType as FlagType))
    errors.flag_type = [`"${String(flagType)}" is not a valid choice.`];
  const subject = validateSubject(env, fields.subject, errors);
  const reasonProblem = errors.flag_type
    ? null
    : reasonError(flagType as FlagType, fields.flag_reason);
  if (reasonProblem) errors.flag_reason = [reasonProblem];
  if (Object.keys(errors).length > 0 || !subject) return json(400, errors);
  const reason = isBlank(fields.flag_reason) ? '' : String(fields.flag_reason);
  const flag = addFlag(env, { flagType: flagType as FlagType, reason, subject, userId: user.id });
  return json(201, renderFlag(env, flag));
}

function listFlags(env: AlationEnv, call: IncomingCall): Reply {
  const oid = call.query.get('oid');
  const otype = call.query.get('otype');
  let flags = [...env.state.flags.values()];
  if ((oid === null) !== (otype === null)) {
    // Assumption about the wording; the docs only say the two "need to be used together".
    return json(400, { detail: 'Parameters oid and otype need to be used together.' });
  }
  if (oid !== null && otype !== null) {
    if (!env.knobs.otypes.includes(otype)) return json(400, INVALID_OTYPE);
    const id = toInt(oid);
    if (id === null) return json(400, { oid: ['A valid integer is required.'] });
    flags = flags.filter((f) => f.subjectOtype === otype && f.subjectId === id);
  }
  return listReply(env, call, flags, { fields: {}, defaultOrder: (f) => f.id }, (f) =>
    renderListedFlag(env, f),
  );
}

/** Delete rules from the docs; assumed to govern updates too. */
function mayChange(env: AlationEnv, user: AlationUser, flag: TrustFlag): boolean {
  if (!user.canEditFlags) return false;
  if (flag.userId === user.id || user.isAdmin) return true;
  const dsId = subjectDataSource(env, flag.subjectOtype, flag.subjectId);
  const ds = dsId == null ? undefined : env.state.dataSources.get(dsId);
  return ds?.ownerIds.includes(user.id) ?? false;
}

function withFlag(
  handler: (env: AlationEnv, call: IncomingCall, user: AlationUser, flag: TrustFlag) => Reply,
) {
  return authed('flag', (env, call, user, [id]) => {
    const flag = env.state.flags.get(Number(id));
    return flag ? handler(env, call, user, flag) : notFound();
  });
}

function updateFlag(
  env: AlationEnv,
  call: IncomingCall,
  user: AlationUser,
  flag: TrustFlag,
): Reply {
  const rejected = bodyRejection(call);
  if (rejected) return rejected;
  if (!mayChange(env, user, flag)) return forbidden();
  const reason = call.fields?.flag_reason;
  if (flag.flagType === 'ENDORSEMENT') {
    return json(400, { flag_reason: ['flag_reason cannot be updated for ENDORSEMENT flags.'] });
  }
  if (isBlank(reason)) return required('flag_reason');
  flag.reason = String(reason);
  return json(200, renderFlag(env, flag));
}

function deleteFlag(
  env: AlationEnv,
  _call: IncomingCall,
  user: AlationUser,
  flag: TrustFlag,
): Reply {
  if (!mayChange(env, user, flag)) return forbidden();
  env.state.flags.delete(flag.id);
  return empty(204);
}

export const flagRoutes: Route[] = [
  { method: 'POST', pattern: /^\/integration\/flag\/$/, handle: authed('flag', createFlag) },
  { method: 'GET', pattern: /^\/integration\/flag\/$/, handle: authed('flag', listFlags) },
  {
    method: 'GET',
    pattern: /^\/integration\/flag\/(\d+)\/$/,
    handle: withFlag((env, _c, _u, f) => json(200, renderFlag(env, f))),
  },
  { method: 'PUT', pattern: /^\/integration\/flag\/(\d+)\/$/, handle: withFlag(updateFlag) },
  { method: 'DELETE', pattern: /^\/integration\/flag\/(\d+)\/$/, handle: withFlag(deleteFlag) },
  {
    method: 'GET',
    pattern: /^\/integration\/v1\/otype\/$/,
    handle: authed('generic', (env) =>
      json(
        200,
        env.knobs.otypes.map((name) => ({ name })),
      ),
    ),
  },
];
