import { createPlatformSchema, createTestDatabase, type TestDatabase } from '@only/testing';
import { asc, eq, sql } from 'drizzle-orm';
import { pgSchema, text } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from './database.ts';
import { queryRows } from './raw-query.ts';
import { rowLevelSecuritySql } from './row-level-security.ts';
import { currentTenantScope, withAllTenantsScope, withTenantScope } from './tenant-scope.ts';
import { inTransaction } from './transaction.ts';

// Queries below deliberately lack a tenant filter: they stand for the bug the policies catch. Each
// is awaited inside its scope: a Drizzle query runs when awaited, not when built.
const schema = pgSchema('test_rls');
const notes = schema.table('notes', {
  id: text('id').primaryKey(),
  tenantId: text('tenant_id').notNull(),
  body: text('body').notNull(),
});
const A = 'ten_aaaaaaaaaaaaaaaaaaaaaaaaaa';
const B = 'ten_bbbbbbbbbbbbbbbbbbbbbbbbbb';

let testDb: TestDatabase;
let db: Database;

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = testDb.handle.db;
  await createPlatformSchema(db, 'test_rls');
  await db.execute(
    'create table test_rls.notes (id text primary key, tenant_id text not null, body text not null)',
  );
  await db.execute('create table test_rls.settings (key text primary key, value text not null)');
  await db.execute(rowLevelSecuritySql('test_rls'));
});

afterAll(async () => {
  await testDb.close();
});

beforeEach(async () => {
  await db.execute('truncate test_rls.notes, test_rls.settings');
  await db.insert(notes).values([
    { id: 'a1', tenantId: A, body: 'a one' },
    { id: 'a2', tenantId: A, body: 'a two' },
    { id: 'b1', tenantId: B, body: 'b one' },
  ]);
});

/** Drizzle wraps the driver's error: the database's own message is the cause. */
const causedBy = (pattern: RegExp) => (error: unknown) =>
  error instanceof Error && error.cause instanceof Error && pattern.test(error.cause.message);

const allIds = async () => (await db.select().from(notes).orderBy(asc(notes.id))).map((n) => n.id);

describe(`row-level security (${process.env.DATABASE_URL ? 'postgres' : 'pglite'})`, () => {
  it('puts every table with a tenant_id under a forced policy, and leaves the others alone', async () => {
    const tables = await queryRows<{ relname: string; rls: boolean; forced: boolean; policies: number }>(
      db,
      sql`select c.relname, c.relrowsecurity as rls, c.relforcerowsecurity as forced,
            (select count(*)::int from pg_policy p where p.polrelid = c.oid) as policies
          from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = 'test_rls' and c.relkind = 'r' order by c.relname`,
    );
    expect(tables).toEqual([
      { relname: 'idempotency_keys', rls: true, forced: true, policies: 1 },
      { relname: 'notes', rls: true, forced: true, policies: 1 },
      { relname: 'outbox', rls: true, forced: true, policies: 1 },
      { relname: 'processed_messages', rls: false, forced: false, policies: 0 },
      { relname: 'settings', rls: false, forced: false, policies: 0 },
    ]);
  });

  it('a scoped read without a tenant filter sees only its tenant, in and out of a transaction', async () => {
    const read = async () => await db.select().from(notes).orderBy(asc(notes.id));
    expect((await withTenantScope(A, read)).map((n) => n.id)).toEqual(['a1', 'a2']);
    expect((await withTenantScope(B, read)).map((n) => n.id)).toEqual(['b1']);
    const inTx = await withTenantScope(B, () =>
      inTransaction(db, async (tx) => await tx.select().from(notes)),
    );
    expect(inTx.map((n) => n.id)).toEqual(['b1']);
  });

  it('writing another tenant’s row is refused, and nothing is written', async () => {
    await expect(
      withTenantScope(A, () =>
        inTransaction(db, async (tx) => {
          await tx.insert(notes).values({ id: 'a3', tenantId: A, body: 'mine' });
          await tx.insert(notes).values({ id: 'b2', tenantId: B, body: 'smuggled' });
        }),
      ),
    ).rejects.toSatisfy(causedBy(/row-level security/));
    expect(await allIds()).toEqual(['a1', 'a2', 'b1']);
  });

  it('updates and deletes without a tenant filter touch only the scope’s rows', async () => {
    await withTenantScope(A, async () => {
      await db.update(notes).set({ body: 'changed' });
      await db.delete(notes).where(eq(notes.id, 'b1'));
      // Moving a row to another tenant is a write of another tenant's row too.
      await expect(db.update(notes).set({ tenantId: B }).where(eq(notes.id, 'a1'))).rejects.toSatisfy(
        causedBy(/row-level security/),
      );
    });
    const rows = await db.select().from(notes).orderBy(asc(notes.id));
    expect(rows.map((n) => [n.id, n.tenantId, n.body])).toEqual([
      ['a1', A, 'changed'],
      ['a2', A, 'changed'],
      ['b1', B, 'b one'],
    ]);
  });

  it('the all-tenants scope reads across tenants, still as the app role', async () => {
    const [row] = await withAllTenantsScope(() =>
      queryRows<{ n: number; role: string }>(
        db,
        sql`select count(*)::int as n, current_user as role from test_rls.notes`,
      ),
    );
    expect(row).toEqual({ n: 3, role: 'only_app' });
    // The app role owns nothing: no DDL from a scoped request.
    await expect(
      withAllTenantsScope(async () => await db.execute('drop table test_rls.notes')),
    ).rejects.toSatisfy(causedBy(/must be owner/));
    expect(await allIds()).toEqual(['a1', 'a2', 'b1']);
  });

  it('outside any scope (migrations, relays, tests) the connection keeps its own role', async () => {
    expect(currentTenantScope()).toBeUndefined();
    const [row] = await queryRows<{ role: string; tenant: string | null }>(
      db,
      sql`select current_user as role, nullif(current_setting('app.tenant_id', true), '') as tenant`,
    );
    expect(row).toEqual({ role: 'postgres', tenant: null });
  });

  it('concurrent requests of two tenants never see each other’s rows on shared connections', async () => {
    const reads = Array.from({ length: 60 }, (_, index) => {
      const tenant = index % 2 === 0 ? A : B;
      return withTenantScope(tenant, async () => {
        const rows =
          index % 3 === 0
            ? await inTransaction(db, async (tx) => await tx.select().from(notes))
            : await db.select().from(notes);
        return rows.every((n) => n.tenantId === tenant) && rows.length === (tenant === A ? 2 : 1);
      });
    });
    expect(await Promise.all(reads)).toEqual(reads.map(() => true));
    // And the pool hands connections back to unscoped work with the connection's own role.
    expect(await allIds()).toEqual(['a1', 'a2', 'b1']);
  });

  it('a tenant scope must name a tenant', () => {
    expect(() => withTenantScope('', () => 1)).toThrow('Not a tenant id');
    expect(() => withTenantScope('*', () => 1)).toThrow('Not a tenant id');
  });
});
