// `only migrate` of the legacy ACME example into the orders and catalog tables: counts, quarantine
// reasons, reads through the orders service, idempotent re-runs, updates, resume after a crash and
// dry runs. From SQLite always; from MariaDB too when MARIADB_URL names a server.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { catalogMigrations } from '@only/catalog';
import {
  DIRTY,
  LEGACY_ACME_MAPPING_PATH,
  LegacyAcmeGenerator,
  loadLegacyAcme,
} from '@only/example-legacy-acme';
import { createOrdersModule, ordersMigrations } from '@only/orders';
import { InMemoryBus } from '@only/platform/bus';
import { queryRows, type Database } from '@only/platform/db';
import { newId } from '@only/platform/ids';
import { createTestDatabase, silentLogger, type TestDatabase } from '@only/testing';
import { sql } from 'drizzle-orm';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeLegacyKey } from '../src/modules/mapping/index.ts';
import { migrateFromFiles, type MigrateResult } from '../src/modules/loader/index.ts';
import { migrationMigrations } from '../src/migrations.ts';
import { MARIADB_URL } from './support/connector-fixtures.ts';

const SCALE = 24;
const generator = new LegacyAcmeGenerator({ scale: SCALE });
const MIGRATIONS = [ordersMigrations, catalogMigrations, migrationMigrations];

const counts = (result: MigrateResult, entity: string) =>
  result.entities.find((e) => e.entity === entity)?.counts;

async function count(db: Database, table: string, tenantId: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from ${sql.raw(table)} where tenant_id = ${tenantId}`,
  );
  return row?.n ?? -1;
}

/** What a tenant's migrated data looks like, independent of the Only ids a run assigned. */
async function snapshot(db: Database, tenantId: string) {
  return {
    customers: await queryRows(
      db,
      sql`select email, name, phone, created_at, updated_at, version from orders.customers
        where tenant_id = ${tenantId} order by email`,
    ),
    orders: await queryRows(
      db,
      sql`select o.number, c.email, o.status, o.subtotal, o.tax_total, o.grand_total, o.notes, o.placed_at
        from orders.orders o join orders.customers c on c.id = o.customer_id
        where o.tenant_id = ${tenantId} order by o.number`,
    ),
    lines: await queryRows(
      db,
      sql`select o.number, l.position, l.sku, l.quantity, l.unit_price, l.tax_rate_bps, l.total
        from orders.order_lines l join orders.orders o on o.id = l.order_id
        where l.tenant_id = ${tenantId} order by o.number, l.position`,
    ),
    products: await queryRows(
      db,
      sql`select sku, name, price_amount, tax_class, status from catalog.products
        where tenant_id = ${tenantId} order by sku`,
    ),
    stock: await queryRows(
      db,
      sql`select p.sku, l.code, s.on_hand, s.reorder_point from catalog.stock_levels s
        join catalog.products p on p.id = s.product_id join catalog.locations l on l.id = s.location_id
        where s.tenant_id = ${tenantId} order by p.sku, l.code`,
    ),
    quarantine: await queryRows(
      db,
      sql`select entity, legacy_key, errors from migration.quarantine
        where tenant_id = ${tenantId} order by entity, legacy_key`,
    ),
  };
}

const dir = mkdtempSync(join(tmpdir(), 'only-migrate-'));
const sqliteUrl = `sqlite:${join(dir, 'acme.db')}`;
const mariaDatabase = `only_migrate_${randomBytes(5).toString('hex')}`;
let database: TestDatabase;

beforeAll(async () => {
  await loadLegacyAcme({ target: sqliteUrl, scale: SCALE });
  if (MARIADB_URL !== '') {
    await loadLegacyAcme({ target: `${MARIADB_URL}/${mariaDatabase}`, scale: SCALE, batchSize: 100 });
  }
  database = await createTestDatabase(MIGRATIONS);
});

afterAll(async () => {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
  if (MARIADB_URL === '') return;
  const admin = await mysql.createConnection({ uri: MARIADB_URL });
  await admin.query(`DROP DATABASE IF EXISTS \`${mariaDatabase}\``);
  await admin.end();
});

const sources: [string, () => string][] = [['SQLite', () => sqliteUrl]];
// Only where a MariaDB server is named (MARIADB_URL).
if (MARIADB_URL !== '') sources.push(['MariaDB', () => `${MARIADB_URL}/${mariaDatabase}`]);

describe.each(sources)('only migrate from %s', (_name, url) => {
  const tenantId = newId('ten');
  let first: MigrateResult;

  beforeAll(async () => {
    first = await migrateFromFiles({
      db: database.handle.db,
      mappingPath: LEGACY_ACME_MAPPING_PATH,
      sourceUrl: url(),
      tenant: tenantId,
      batchSize: 7,
    });
  });

  it('loads every clean row and quarantines every other one: read = loaded + quarantined', async () => {
    const db = database.handle.db;
    const tables: Record<string, string> = {
      customers: 'orders.customers',
      orders: 'orders.orders',
      orderLines: 'orders.order_lines',
      products: 'catalog.products',
      stock: 'catalog.stock_levels',
    };
    const generated: Record<string, number> = {
      customers: [...generator.rows('CUSTOMERS')].length,
      orders: [...generator.rows('ORDERS')].length,
      orderLines: [...generator.rows('ORDER_LINES')].length,
      products: [...generator.rows('PRODUCTS')].length,
      stock: [...generator.rows('STOCK')].filter((r) => r.WH_CODE !== 'DEAD').length,
    };
    for (const [entity, table] of Object.entries(tables)) {
      const c = counts(first, entity);
      expect(c?.read, entity).toBe(generated[entity]);
      expect((c?.loaded ?? 0) + (c?.quarantined ?? 0), entity).toBe(c?.read);
      expect(c?.skipped, entity).toBe(0);
      expect(await count(db, table, tenantId), entity).toBe(c?.loaded);
      const [q] = await queryRows<{ n: number }>(
        db,
        sql`select count(*)::int as n from migration.quarantine where run_id = ${first.runId} and entity = ${entity}`,
      );
      expect(q?.n, entity).toBe(c?.quarantined);
    }
    expect(counts(first, 'customers')).toMatchObject({ loaded: SCALE - 2, quarantined: 2 });
    // Invoices and payments have no loader yet: reported, not read.
    expect(first.entities.filter((e) => e.status === 'pending').map((e) => e.entity)).toEqual([
      'invoices',
      'payments',
    ]);
  });

  it('quarantines each dirty row with the documented field and rule, the rest only as reference_rejected', async () => {
    const rows = await queryRows<{
      entity: string;
      legacy_key: string;
      errors: { field: string; rule: string }[];
    }>(
      database.handle.db,
      sql`select entity, legacy_key, errors from migration.quarantine where run_id = ${first.runId}`,
    );
    const dirty = generator.dirtyRows().filter((d) => d.outcome.kind === 'rejected');
    for (const d of dirty) {
      const row = rows.find((r) => r.entity === d.outcome.entity && r.legacy_key === encodeLegacyKey(d.key));
      expect(
        row?.errors.map((e) => [e.field, e.rule]),
        `${d.table} ${d.key.join('/')}`,
      ).toEqual([[d.outcome.field, d.outcome.rule]]);
    }
    const others = rows.filter(
      (r) => !dirty.some((d) => d.outcome.entity === r.entity && encodeLegacyKey(d.key) === r.legacy_key),
    );
    expect(others.length).toBeGreaterThan(0);
    for (const r of others)
      expect(
        r.errors.map((e) => e.rule),
        `${r.entity} ${r.legacy_key}`,
      ).toEqual(['reference_rejected']);
    // The lines of the order whose customer does not exist are among them.
    const orphanLines = others.filter(
      (r) => r.entity === 'orderLines' && r.legacy_key.startsWith(`["${DIRTY.missingCustomerOrder}"`),
    );
    expect(orphanLines).toHaveLength(generator.order(DIRTY.missingCustomerOrder).lines.length);
  });

  it('makes orders readable through the orders service: ids, minor units, UTC times, legacy totals', async () => {
    const orderNo = 100_001;
    const orders = createOrdersModule({
      db: database.handle.db,
      pingDatabase: database.handle.ping,
      bus: new InMemoryBus({ logger: silentLogger() }),
      logger: silentLogger(),
    });
    const ctx = {
      tenantId,
      actor: { type: 'system' as const, id: null },
      requestId: 'r',
      correlationId: 'c',
    };
    const [ids] = await queryRows<{ only_id: string }>(
      database.handle.db,
      sql`select only_id from migration.id_map where tenant_id = ${tenantId} and entity = 'orders'
        and legacy_key = ${encodeLegacyKey([orderNo])}`,
    );
    const order = await orders.orders.get(ctx, ids?.only_id ?? '');
    const legacy = generator.order(orderNo);
    expect(order.id).toMatch(/^ord_[0-9a-z]{26}$/);
    expect(order.number).toBe(String(orderNo));
    expect(order.placedAt).toMatch(/^2019-01-01T\d\d:\d\d:\d\d\.000Z$/);
    expect(order.totals).toEqual({
      subtotal: Math.round(Number(legacy.order.NET_AMT) * 100),
      tax: Math.round(Number(legacy.order.TAX_AMT) * 100),
      grandTotal: Math.round(Number(legacy.order.GROSS_AMT) * 100),
    });
    expect(order.lines.map((l) => l.quantity)).toEqual(legacy.lines.map((l) => Number(l.QTY)));
    const customer = await orders.customers.get(ctx, order.customerId);
    expect(customer.id).toMatch(/^cus_/);
    expect(customer.email).toBe(
      String(generator.customer(Number(legacy.order.CUST_ID)).EMAIL)
        .trim()
        .toLowerCase(),
    );
    // New orders placed in Only do not collide with legacy numbers.
    const [seq] = await queryRows<{ last_value: string; highest: string }>(
      database.handle.db,
      sql`select (select last_value::text from orders.order_number_seq) as last_value,
        (select max(number::bigint)::text from orders.orders where tenant_id = ${tenantId}) as highest`,
    );
    expect(Number(seq?.highest)).toBeGreaterThan(100_001 + 2 * SCALE);
    expect(Number(seq?.last_value)).toBeGreaterThanOrEqual(Number(seq?.highest));
  });

  it('a second run changes nothing; a changed legacy row is updated', async () => {
    const db = database.handle.db;
    const before = await snapshot(db, tenantId);
    const again = await migrateFromFiles({
      db,
      mappingPath: LEGACY_ACME_MAPPING_PATH,
      sourceUrl: url(),
      tenant: tenantId,
    });
    for (const e of again.entities.filter((x) => x.status === 'loaded')) {
      expect(e.counts.loaded, e.entity).toBe(0);
      expect(e.counts.skipped, e.entity).toBe(counts(first, e.entity)?.loaded);
    }
    const after = await snapshot(db, tenantId);
    expect({ ...after, quarantine: undefined }).toEqual({ ...before, quarantine: undefined });
    expect(after.quarantine.length).toBe(before.quarantine.length * 2); // kept per run

    if (!url().startsWith('sqlite:')) return;
    const legacy = new DatabaseSync(join(dir, 'acme.db'));
    legacy.exec("UPDATE CUSTOMERS SET CUST_NAME = 'Renamed Roastery GmbH' WHERE CUST_ID = 1");
    legacy.close();
    const changed = await migrateFromFiles({
      db,
      mappingPath: LEGACY_ACME_MAPPING_PATH,
      sourceUrl: url(),
      tenant: tenantId,
    });
    expect(counts(changed, 'customers')).toMatchObject({ loaded: 1, skipped: SCALE - 3 });
    const [row] = await queryRows<{ name: string; version: number; n: number }>(
      db,
      sql`select name, version, (select count(*)::int from orders.customers where tenant_id = ${tenantId}) as n
        from orders.customers where tenant_id = ${tenantId} and email = ${String(generator.customer(1).EMAIL).trim().toLowerCase()}`,
    );
    expect(row).toEqual({ name: 'Renamed Roastery GmbH', version: 2, n: SCALE - 2 });
  });
});

describe('an interrupted run', () => {
  it('resumes from the checkpoint without reloading batches and ends as an uninterrupted run', async () => {
    const reference = await createTestDatabase(MIGRATIONS);
    const crashed = await createTestDatabase(MIGRATIONS);
    try {
      const tenantId = newId('ten');
      const source = join(dir, 'resume.db');
      await loadLegacyAcme({ target: `sqlite:${source}`, scale: SCALE });
      const common = {
        mappingPath: LEGACY_ACME_MAPPING_PATH,
        sourceUrl: `sqlite:${source}`,
        tenant: tenantId,
        batchSize: 10,
      };
      await migrateFromFiles({ ...common, db: reference.handle.db });

      const K = 3;
      await expect(
        migrateFromFiles({
          ...common,
          db: crashed.handle.db,
          afterBatch: (entity, batch) => {
            if (entity === 'orderLines' && batch === K) throw new Error('simulated crash');
          },
        }),
      ).rejects.toThrow('simulated crash');
      const [checkpoint] = await queryRows<{ last_key: unknown; read: number }>(
        crashed.handle.db,
        sql`select last_key, (counts->>'read')::int as read from migration.checkpoints where entity = 'orderLines'`,
      );
      expect(checkpoint?.read).toBe(K * 10);

      const starts: Record<string, number> = {};
      const resumed = await migrateFromFiles({
        ...common,
        db: crashed.handle.db,
        resume: true,
        onProgress: (p) => {
          if (p.kind === 'entity_start') starts[p.entity] = p.counts.read;
        },
      });
      expect(resumed.resumed).toBe(true);
      // Finished entities are not read again; order lines continue after the K committed batches.
      expect(starts).toEqual({ orderLines: K * 10 });
      expect(counts(resumed, 'orderLines')?.read).toBe([...generator.rows('ORDER_LINES')].length);
      expect(await snapshot(crashed.handle.db, tenantId)).toEqual(
        await snapshot(reference.handle.db, tenantId),
      );
      const [runs] = await queryRows<{ n: number; status: string }>(
        crashed.handle.db,
        sql`select count(*)::int as n, min(status) as status from migration.runs`,
      );
      expect(runs).toEqual({ n: 1, status: 'completed' });
    } finally {
      await reference.close();
      await crashed.close();
    }
  });
});

describe('a dry run', () => {
  it('reports what a run would do and writes nothing', async () => {
    const db = await createTestDatabase(MIGRATIONS);
    try {
      const tenantId = newId('ten');
      const result = await migrateFromFiles({
        db: db.handle.db,
        mappingPath: LEGACY_ACME_MAPPING_PATH,
        sourceUrl: sqliteUrl,
        tenant: tenantId,
        dryRun: true,
      });
      expect(result.runId).toBeNull();
      expect(counts(result, 'customers')).toEqual({
        read: SCALE,
        loaded: SCALE - 2,
        quarantined: 2,
        skipped: 0,
      });
      // References resolve against what the dry run accepted: orders are not all rejected.
      expect(counts(result, 'orders')?.loaded).toBeGreaterThan(0);
      expect(counts(result, 'orderLines')?.loaded).toBeGreaterThan(0);
      for (const table of [
        'orders.customers',
        'orders.orders',
        'catalog.products',
        'migration.runs',
        'migration.id_map',
        'migration.quarantine',
      ]) {
        const [row] = await queryRows<{ n: number }>(
          db.handle.db,
          sql`select count(*)::int as n from ${sql.raw(table)}`,
        );
        expect(row?.n, table).toBe(0);
      }
    } finally {
      await db.close();
    }
  });
});
