// Reading what the identity service stored, straight from its tables.
import type { Database } from '@only/platform/db';
import { and, asc, eq } from 'drizzle-orm';
import { auditLog, refreshTokens, signingKeys, users } from '../../src/db/schema.ts';

export async function userRow(db: Database, id: string) {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

export async function auditRows(db: Database, tenantId: string, action?: string) {
  return db
    .select()
    .from(auditLog)
    .where(
      and(eq(auditLog.tenantId, tenantId), action === undefined ? undefined : eq(auditLog.action, action)),
    )
    .orderBy(asc(auditLog.id));
}

export async function refreshTokenRows(db: Database, userId: string) {
  return db
    .select()
    .from(refreshTokens)
    .where(eq(refreshTokens.userId, userId))
    .orderBy(asc(refreshTokens.id));
}

export async function signingKeyRows(db: Database) {
  return db.select().from(signingKeys).orderBy(asc(signingKeys.createdAt));
}
