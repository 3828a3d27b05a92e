// Trust check flags (alation-trust-flags.txt) and the instance's otype list.
import { z } from 'zod';
import type { Http } from '../http.ts';
import type { Page } from '../paging.ts';
import { idSegment } from './ids.ts';
import { fetchPage, type ListRequest } from './list.ts';
import type { WithToken } from './token-auth.ts';

export const FLAG_TYPES = ['ENDORSEMENT', 'WARNING', 'DEPRECATION'] as const;
export type FlagType = (typeof FLAG_TYPES)[number];

/** Single-flag answers send the subject id as a string ("1"), lists as a number. */
const subjectId = z.union([
  z.number().int(),
  z
    .string()
    .regex(/^\d+$/)
    .transform((value) => Number(value)),
]);

export const trustFlagSchema = z.looseObject({
  id: z.number().int(),
  flag_type: z.enum(FLAG_TYPES),
  /** Empty for endorsements. */
  flag_reason: z
    .string()
    .nullish()
    .transform((value) => value ?? ''),
  ts_created: z.string(),
  subject: z.looseObject({ id: subjectId, otype: z.string(), url: z.string().optional() }),
  user: z.looseObject({
    id: z.number().int(),
    url: z.string().optional(),
    display_name: z.string().nullish(),
  }),
});

export type TrustFlag = z.infer<typeof trustFlagSchema>;

export interface FlagSubject {
  /** `data`, `schema`, `table`, `attribute`, `query`, … (see `otypes()`). */
  otype: string;
  id: number;
}

/** Endorsements carry no reason; warnings and deprecations must. */
export type AddFlagBody =
  | { flag_type: 'ENDORSEMENT'; subject: FlagSubject }
  | { flag_type: 'WARNING' | 'DEPRECATION'; flag_reason: string; subject: FlagSubject };

export type FlagListRequest =
  | { subject?: FlagSubject; limit?: number; skip?: number }
  | { cursor: string };

/** The documented shape is not given; accept `["table", …]` and `[{"name": "table"}, …]`. */
const otypeListSchema = z.array(
  z.union([z.string(), z.looseObject({ name: z.string() }).transform((entry) => entry.name)]),
);

export interface FlagEndpoints {
  /** Flags are created as the calling user. Bad otype → `bad_request` `{subject: [...]}`. */
  add(body: AddFlagBody): Promise<TrustFlag>;
  get(flagId: number): Promise<TrustFlag>;
  /** All flags, or those on one subject. */
  list(request?: FlagListRequest): Promise<Page<TrustFlag>>;
  /** Not allowed for endorsements (`bad_request`). */
  updateReason(flagId: number, reason: string): Promise<TrustFlag>;
  /** `forbidden` unless the caller created the flag, is an admin, or owns the data source. */
  remove(flagId: number): Promise<void>;
  otypes(): Promise<string[]>;
}

function toListRequest(request: FlagListRequest | undefined): ListRequest | undefined {
  if (!request || 'cursor' in request) return request;
  const { subject, ...paging } = request;
  return {
    ...paging,
    filters: subject ? { oid: subject.id, otype: subject.otype } : undefined,
  };
}

export function flagEndpoints(http: Http, withToken: WithToken): FlagEndpoints {
  const flagPath = (flagId: number) => `/integration/flag/${idSegment(flagId)}/`;
  return {
    add: (body) =>
      withToken(async (headers) => {
        const res = await http.json(
          { method: 'POST', path: '/integration/flag/', json: body, headers },
          trustFlagSchema,
        );
        return res.data;
      }),

    get: (flagId) =>
      withToken(async (headers) => {
        const res = await http.json({ path: flagPath(flagId), headers }, trustFlagSchema);
        return res.data;
      }),

    list: (request) =>
      withToken((headers) =>
        fetchPage(
          http,
          headers,
          '/integration/flag/',
          toListRequest(request),
          z.array(trustFlagSchema),
        ),
      ),

    updateReason: (flagId, reason) =>
      withToken(async (headers) => {
        const res = await http.json(
          { method: 'PUT', path: flagPath(flagId), json: { flag_reason: reason }, headers },
          trustFlagSchema,
        );
        return res.data;
      }),

    remove: (flagId) =>
      withToken(async (headers) => {
        await http.send({ method: 'DELETE', path: flagPath(flagId), headers });
      }),

    otypes: () =>
      withToken(async (headers) => {
        const res = await http.json({ path: '/integration/v1/otype/', headers }, otypeListSchema);
        return res.data;
      }),
  };
}
