// Catalog objects other endpoints hang off: data sources, schemas, tables, domains, tags and
// arbitrary other otypes (columns, articles, …) that trust flags may sit on.
import type {
  AlationEnv,
  AlationUser,
  CatalogObject,
  DataSource,
  Domain,
  Query,
  Schema,
  Table,
  Tag,
} from './state.ts';
import { nextId } from './state.ts';

export interface DataSourceSeed {
  id?: number;
  title?: string;
  uri?: string;
  ownerIds?: number[];
  connectionError?: string | null;
  serviceAccountCanRead?: boolean;
}

export interface SchemaSeed {
  id?: number;
  datasourceId: number;
  name: string;
  excluded?: boolean;
}

export interface TableSeed {
  id?: number;
  datasourceId: number;
  /** Schema name; created (not excluded) if the data source doesn't have it yet. */
  schema: string;
  name: string;
  title?: string;
  description?: string;
  isView?: boolean;
  inCatalog?: boolean;
  inSource?: boolean;
  serviceAccountCanRead?: boolean;
  customFields?: unknown[];
  synonyms?: string[] | null;
  dbComment?: string | null;
}

export function addDataSource(env: AlationEnv, seed: DataSourceSeed = {}): DataSource {
  const id = nextId(env.state, 'datasource', seed.id);
  const ds: DataSource = {
    id,
    title: seed.title ?? `Data source ${id}`,
    uri: seed.uri ?? `postgresql://db${id}.example.com:5432/warehouse`,
    ownerIds: seed.ownerIds ?? [],
    connectionError: seed.connectionError ?? null,
    serviceAccountCanRead: seed.serviceAccountCanRead ?? true,
  };
  env.state.dataSources.set(id, ds);
  return ds;
}

export function requireDataSource(env: AlationEnv, id: number): DataSource {
  const ds = env.state.dataSources.get(id);
  if (!ds) throw new Error(`emulator: no data source ${id}; seed it with addDataSource first`);
  return ds;
}

export function findSchema(
  env: AlationEnv,
  datasourceId: number,
  name: string,
): Schema | undefined {
  return [...env.state.schemas.values()].find(
    (s) => s.datasourceId === datasourceId && s.name === name,
  );
}

export function addSchema(env: AlationEnv, seed: SchemaSeed): Schema {
  requireDataSource(env, seed.datasourceId);
  const schema: Schema = {
    id: nextId(env.state, 'schema', seed.id),
    datasourceId: seed.datasourceId,
    name: seed.name,
    excluded: seed.excluded ?? false,
  };
  env.state.schemas.set(schema.id, schema);
  return schema;
}

export function addTable(env: AlationEnv, seed: TableSeed): Table {
  requireDataSource(env, seed.datasourceId);
  const schema =
    findSchema(env, seed.datasourceId, seed.schema) ??
    addSchema(env, { datasourceId: seed.datasourceId, name: seed.schema });
  const table: Table = {
    id: nextId(env.state, 'table', seed.id),
    datasourceId: seed.datasourceId,
    schemaId: schema.id,
    schemaName: schema.name,
    name: seed.name,
    title: seed.title ?? '',
    description: seed.description ?? '',
    isView: seed.isView ?? false,
    inCatalog: seed.inCatalog ?? true,
    inSource: seed.inSource ?? true,
    serviceAccountCanRead: seed.serviceAccountCanRead ?? true,
    customFields: seed.customFields ?? [],
    synonyms: seed.synonyms ?? null,
    dbComment: seed.dbComment ?? null,
    lastSyncedAt: null,
  };
  env.state.tables.set(table.id, table);
  return table;
}

export function addCatalogObject(env: AlationEnv, object: CatalogObject): CatalogObject {
  env.state.catalogObjects.push(object);
  return object;
}

export function addDomain(
  env: AlationEnv,
  seed: { id?: number; title: string; description?: string },
): Domain {
  const domain: Domain = {
    id: nextId(env.state, 'domain', seed.id),
    title: seed.title,
    description: seed.description ?? '',
  };
  env.state.domains.set(domain.id, domain);
  return domain;
}

export function tagByName(env: AlationEnv, name: string): Tag {
  const existing = [...env.state.tags.values()].find((t) => t.name === name);
  if (existing) return existing;
  const now = env.clock.now();
  const tag: Tag = {
    id: nextId(env.state, 'tag'),
    name,
    description: '',
    tsCreated: now,
    tsUpdated: now,
  };
  env.state.tags.set(tag.id, tag);
  return tag;
}

/** The data source an object belongs to (for the "owner of the data source" rule), if known. */
export function subjectDataSource(
  env: AlationEnv,
  otype: string,
  id: number,
): number | null | undefined {
  const { state } = env;
  if (otype === 'data') return state.dataSources.has(id) ? id : undefined;
  if (otype === 'schema') return state.schemas.get(id)?.datasourceId;
  if (otype === 'table') {
    const table = state.tables.get(id);
    return table?.inCatalog ? table.datasourceId : undefined;
  }
  if (otype === 'query') return state.queries.get(id)?.datasourceId;
  const other = state.catalogObjects.find((o) => o.otype === otype && o.id === id);
  return other ? other.datasourceId : undefined;
}

/** Catalog page path of an object: `/data/1/`, `/table/12/`, … */
export function catalogPath(otype: string, id: number): string {
  return `/${otype}/${id}/`;
}

/**
 * Assumption: unpublished queries are private to their author (and admins); published ones
 * and their results are visible to every authenticated user. `viewerIds` stands in for
 * sharing an unpublished query with named users.
 */
export function canSeeQuery(user: AlationUser, query: Query): boolean {
  return (
    user.isAdmin ||
    query.published ||
    query.authorId === user.id ||
    query.viewerIds.includes(user.id)
  );
}
