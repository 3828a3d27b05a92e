// Table metadata sync trigger (alation-table-sync.txt). Admin-only; every documented failure
// maps onto a kind: 400 bad_request, 403 forbidden (with the reason), 404 not_found, 500
// server_error carrying Alation's connection error.
import { z } from 'zod';
import type { Http } from '../http.ts';
import type { WithToken } from './token-auth.ts';

export interface SyncTableBody {
  datasource_id: number;
  /** Four-level sources (SQL Server) take `database.schema`. */
  schema: string;
  table: string;
  table_type?: 'TABLE' | 'VIEW';
}

export const syncedTableSchema = z.looseObject({
  id: z.number().int(),
  /** Catalog page of the table, e.g. `/table/17194/`. */
  url: z.string(),
  name: z.string(),
  schema_name: z.string().optional(),
  title: z.string().nullish(),
  description: z.string().nullish(),
  ds_id: z.number().int(),
  is_view: z.boolean().optional(),
  custom_fields: z.array(z.unknown()).optional(),
  schema_id: z.number().int().optional(),
  synonyms: z.unknown().optional(),
  db_comment: z.string().nullish(),
});

export type SyncedTable = z.infer<typeof syncedTableSchema>;

export interface TableEndpoints {
  /** 201 whether or not the table was already catalogued. */
  sync(body: SyncTableBody): Promise<SyncedTable>;
}

export function tableEndpoints(http: Http, withToken: WithToken): TableEndpoints {
  return {
    sync: (body) =>
      withToken(async (headers) => {
        const res = await http.json(
          { method: 'POST', path: '/api/v1/table/sync/', json: body, headers },
          syncedTableSchema,
        );
        return res.data;
      }),
  };
}
