// Row-level security across every service: after all migrations, each table that holds tenant
// data is under a forced tenant policy; with both demo tenants seeded, a query without any tenant
// filter, run in one tenant's scope, returns exactly that tenant's rows in every such table.
import { DEMO_TENANTS } from '@only/identity';
import { InMemoryBus } from '@only/platform/bus';
import { queryRows, TENANT_POLICY, withTenantScope, type Database } from '@only/platform/db';
import { createTestDatabase, silentLogger, type TestDatabase } from '@only/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/embedded.ts';
import { SERVICES } from '../src/service-registry.ts';

interface TenantTable {
  readonly schema: string;
  readonly table: string;
  readonly rls: boolean;
  readonly forced: boolean;
  readonly policy: boolean;
}

let testDb: TestDatabase;
let db: Database;
let tables: TenantTable[];

beforeAll(async () => {
  testDb = await createTestDatabase(SERVICES.map((service) => service.migrations));
  db = testDb.handle.db;
  const bus = new InMemoryBus({ logger: silentLogger() });
  const modules = SERVICES.map((service) =>
    service.create(
      { db, pingDatabase: testDb.handle.ping, bus, logger: silentLogger() },
      { issuer: 'http://localhost/api/identity' },
    ),
  );
  await seedDemo(modules);
  await bus.close();
  const schemas = SERVICES.map((service) => service.migrations.schema);
  tables = await queryRows<{ schema: string; table: string; rls: boolean; forced: boolean; policy: boolean }>(
    db,
    sql`select n.nspname as schema, c.relname as table, c.relrowsecurity as rls,
          c.relforcerowsecurity as forced,
          exists (select from pg_policy p where p.polrelid = c.oid and p.polname = ${TENANT_POLICY}) as policy
        from pg_class c
        join pg_namespace n on n.oid = c.relnamespace
        join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
        where c.relkind = 'r' and n.nspname in (${sql.join(
          schemas.map((s) => sql`${s}`),
          sql`, `,
        )})
        order by 1, 2`,
  );
}, 120_000);

afterAll(async () => {
  await testDb.close();
});

describe('row-level security in every service', () => {
  it('covers every service schema', () => {
    const covered = new Set(tables.map((t) => t.schema));
    for (const service of SERVICES) expect(covered).toContain(service.migrations.schema);
  });

  it('every table with a tenant_id has row-level security enabled, forced, with the tenant policy', () => {
    const unprotected = tables
      .filter((t) => !t.rls || !t.forced || !t.policy)
      .map((t) => `${t.schema}.${t.table}`);
    expect(unprotected).toEqual([]);
  });

  it('an unfiltered query in one tenant’s scope returns exactly that tenant’s rows, in every table', async () => {
    const [acme, globex] = DEMO_TENANTS;
    let seededTables = 0;
    for (const { schema, table } of tables) {
      const from = sql.raw(`"${schema}"."${table}"`);
      const [all] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from ${from}`);
      const perTenant: number[] = [];
      for (const tenant of [acme!, globex!]) {
        const rows = await withTenantScope(tenant.id, () =>
          queryRows<{ tenant_id: string }>(db, sql`select tenant_id from ${from}`),
        );
        expect(rows.filter((row) => row.tenant_id !== tenant.id)).toEqual([]);
        perTenant.push(rows.length);
      }
      // Both tenants' rows together are all rows: the demo seeds only these two.
      expect(perTenant[0]! + perTenant[1]!, `${schema}.${table}`).toBe(all!.n);
      if (perTenant[0]! > 0 && perTenant[1]! > 0) seededTables += 1;
    }
    // The check means something only where both tenants have rows.
    expect(seededTables).toBeGreaterThanOrEqual(5);
  });
});
