import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '@only/platform/db';

/**
 * Serializes, until the transaction ends, everything that bills one order: issuing its invoice,
 * and applying its captures and refunds. Without it, a refund seen while the invoice is being
 * issued could be missed by both (the refund finding no invoice yet, the issuer no refund yet).
 * A transaction-scoped advisory lock: nothing to create first, released on commit or rollback.
 */
export async function lockOrderBilling(db: Database, tenantId: string, orderId: string): Promise<void> {
  const key = `invoices/${tenantId}/${orderId}`;
  await queryRows(db, sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
}
