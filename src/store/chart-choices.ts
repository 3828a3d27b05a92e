import type { Owner } from './credentials.ts';
import type { Queryable } from './db.ts';

/**
 * What a person chose in the chart modal for one query, as stored: by column name, so it
 * applies to the query's next results as long as they have those columns. The shape is checked
 * where it is used (charts/choose.ts); the store keeps JSON.
 */
export interface ChartChoiceStore {
  get(owner: Owner, queryId: number): Promise<unknown>;
  set(owner: Owner, queryId: number, choice: unknown): Promise<void>;
  remove(owner: Owner, queryId: number): Promise<void>;
}

export function createChartChoiceStore(db: Queryable): ChartChoiceStore {
  return {
    async get(owner, queryId) {
      const [row] = await db.query<{ choice: unknown }>(
        'SELECT choice FROM chart_choices WHERE tenant_id = $1 AND user_id = $2 AND query_id = $3',
        [owner.tenantId, owner.userId, queryId],
      );
      const choice = row?.choice;
      return typeof choice === 'string' ? JSON.parse(choice) : choice;
    },
    async set(owner, queryId, choice) {
      await db.query(
        `INSERT INTO chart_choices (tenant_id, user_id, query_id, choice, updated_at)
         VALUES ($1, $2, $3, $4::jsonb, now())
         ON CONFLICT (tenant_id, user_id, query_id)
         DO UPDATE SET choice = excluded.choice, updated_at = now()`,
        [owner.tenantId, owner.userId, queryId, JSON.stringify(choice)],
      );
    },
    async remove(owner, queryId) {
      await db.query(
        'DELETE FROM chart_choices WHERE tenant_id = $1 AND user_id = $2 AND query_id = $3',
        [owner.tenantId, owner.userId, queryId],
      );
    },
  };
}
