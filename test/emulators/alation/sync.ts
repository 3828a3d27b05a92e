// Table metadata sync trigger. Every row of the documented error table comes from seeded
// state: non-admin users, excluded schemas, data sources with a connection error or a
// service account that can't read, tables missing from the database.
import type { IncomingCall, Reply } from '../faults.ts';
import { json } from '../faults.ts';
import { authed } from './auth.ts';
import { findSchema } from './catalog.ts';
import type { AlationEnv, AlationUser, Table } from './state.ts';
import type { Route } from './wire.ts';
import { bodyRejection, forbidden, isBlank, toInt } from './wire.ts';

const TABLE_TYPES = ['VIEW', 'TABLE'];

interface SyncRequest {
  datasourceId: number;
  schema: string;
  table: string;
}

function renderTable(t: Table) {
  return {
    id: t.id,
    url: `/table/${t.id}/`,
    name: t.name,
    schema_name: t.schemaName,
    title: t.title,
    description: t.description,
    ds_id: t.datasourceId,
    is_view: t.isView,
    custom_fields: t.customFields,
    schema_id: t.schemaId,
    synonyms: t.synonyms,
    db_comment: t.dbComment,
  };
}

function validate(fields: Record<string, unknown>): SyncRequest | Reply {
  const errors: Record<string, string[]> = {};
  for (const name of ['datasource_id', 'schema', 'table']) {
    if (isBlank(fields[name])) errors[name] = ['This field is required.'];
  }
  const datasourceId = toInt(fields.datasource_id);
  if (!errors.datasource_id && datasourceId === null)
    errors.datasource_id = ['A valid integer is required.'];
  const tableType = fields.table_type;
  if (tableType !== undefined && !TABLE_TYPES.includes(String(tableType))) {
    errors.table_type = [`"${String(tableType)}" is not a valid choice.`];
  }
  if (Object.keys(errors).length > 0) return json(400, errors);
  return {
    datasourceId: datasourceId as number,
    schema: String(fields.schema),
    table: String(fields.table),
  };
}

/** Error bodies below are assumptions: the docs give only the status and a reason. */
function syncTable(env: AlationEnv, call: IncomingCall, user: AlationUser): Reply {
  if (!user.isAdmin) return forbidden();
  const rejected = bodyRejection(call);
  if (rejected) return rejected;
  const req = validate(call.fields ?? {});
  if ('status' in req) return req;
  const ds = env.state.dataSources.get(req.datasourceId);
  if (!ds) return json(404, { detail: `Data source with id ${req.datasourceId} does not exist.` });
  const schema = findSchema(env, ds.id, req.schema);
  if (!schema)
    return json(404, { detail: `Schema ${req.schema} does not exist in data source ${ds.id}.` });
  if (schema.excluded) {
    return json(400, {
      detail: `Schema ${req.schema} is excluded from the catalog for data source ${ds.id}.`,
    });
  }
  if (ds.connectionError !== null) {
    return json(500, { detail: `Error connecting to the data source: ${ds.connectionError}` });
  }
  const table = [...env.state.tables.values()].find(
    (t) => t.schemaId === schema.id && t.name === req.table && t.inSource,
  );
  if (!table)
    return json(404, {
      detail: `Table ${req.schema}.${req.table} not found in data source ${ds.id}.`,
    });
  if (!ds.serviceAccountCanRead || !table.serviceAccountCanRead) {
    return json(403, {
      detail: `The service account for data source ${ds.id} does not have permission to view the metadata of table ${req.schema}.${req.table}.`,
    });
  }
  // Assumption: the physical object's kind wins; table_type only tells Alation where to look.
  table.inCatalog = true;
  table.lastSyncedAt = env.clock.now();
  return json(201, renderTable(table), { location: `/api/table/${table.id}/` });
}

export const syncRoutes: Route[] = [
  { method: 'POST', pattern: /^\/api\/v1\/table\/sync\/$/, handle: authed('generic', syncTable) },
];
