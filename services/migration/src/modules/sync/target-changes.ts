// What sync needs of a target beyond the loader's writers: when Only last changed a row (to tell a
// conflict), and how a row deleted in the legacy system is deleted in Only, where it can be.
import { queryRows, type Database } from '@only/platform/db';
import { sql, type SQL } from 'drizzle-orm';
import type { CompiledEntity } from '../mapping/index.ts';

/**
 * When Only last changed a stored row (alias `t` of the writer's `stored.from`); null where the
 * table does not say (order lines: they change only with their order, which carries the time).
 */
export function changedAtSql(target: string): SQL | null {
  switch (target) {
    case 'orders.customers':
    case 'orders.orders':
    case 'catalog.products':
    case 'catalog.stockLevels':
      return sql.raw('t.updated_at');
    default:
      return null;
  }
}

/** How a target deletes: soft (the row stays, marked), hard, or not at all (reported). */
export type DeleteSupport = 'soft' | 'hard' | 'none';

/** Customers are soft-deleted as the orders service does; an order line goes with the legacy line. */
export function deleteSupport(target: string): DeleteSupport {
  if (target === 'orders.customers') return 'soft';
  if (target === 'orders.orderLines') return 'hard';
  return 'none';
}

const CHUNK = 5000;

/**
 * Deletes in Only the rows whose legacy key is gone from the legacy system, where the target can;
 * `skipped` counts the gone rows Only keeps (a target that cannot delete).
 */
export async function applyDeletes(
  job: { readonly db: Database; readonly tenantId: string; readonly entity: CompiledEntity },
  legacyKeys: ReadonlySet<string>,
): Promise<{ deleted: number; skipped: number }> {
  const { db, tenantId, entity } = job;
  const mapped = await queryRows<{ legacy_key: string; only_id: string }>(
    db,
    sql`select legacy_key, only_id from migration.id_map where tenant_id = ${tenantId} and entity = ${entity.name}`,
  );
  const gone = mapped.filter((m) => !legacyKeys.has(m.legacy_key));
  if (gone.length === 0) return { deleted: 0, skipped: 0 };
  const support = deleteSupport(entity.target);
  if (support === 'none') return { deleted: 0, skipped: gone.length };
  let deleted = 0;
  for (let i = 0; i < gone.length; i += CHUNK) {
    const part = gone.slice(i, i + CHUNK);
    const ids = JSON.stringify(part.map((g) => g.only_id));
    const idList = sql`(select jsonb_array_elements_text(${ids}::jsonb))`;
    if (support === 'soft') {
      const rows = await queryRows(
        db,
        sql`update orders.customers set deleted_at = now(), updated_at = now(), version = version + 1
          where tenant_id = ${tenantId} and id in ${idList} and deleted_at is null returning 1`,
      );
      deleted += rows.length;
    } else {
      const rows = await queryRows(
        db,
        sql`delete from orders.order_lines where tenant_id = ${tenantId} and id in ${idList} returning 1`,
      );
      deleted += rows.length;
      // The key is gone on both sides now: forget it, so it is not deleted again.
      await queryRows(
        db,
        sql`delete from migration.id_map where tenant_id = ${tenantId} and entity = ${entity.name}
          and legacy_key in (select jsonb_array_elements_text(${JSON.stringify(part.map((g) => g.legacy_key))}::jsonb))`,
      );
    }
  }
  return { deleted, skipped: 0 };
}
