// `only reconcile` of the legacy ACME example against what `only migrate` loaded: zero
// discrepancies right after the migration (quarantined rows reported apart), then exactly the rows
// inserted, changed and deleted in the legacy database; reports, stored runs, metrics. From SQLite
// always; from MariaDB too when MARIADB_URL names a server.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogMigrations } from '@only/catalog';
import { LEGACY_ACME_MAPPING_PATH, LegacyAcmeGenerator, loadLegacyAcme } from '@only/example-legacy-acme';
import { ordersMigrations } from '@only/orders';
import { queryRows } from '@only/platform/db';
import { newId } from '@only/platform/ids';
import { createTestDatabase, silentLogger, type TestDatabase } from '@only/testing';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateFromFiles } from '../src/modules/loader/index.ts';
import { decodeLegacyKey, encodeLegacyKey } from '../src/modules/mapping/index.ts';
import {
  allDiscrepancies,
  getReconcileRun,
  listReconcileRuns,
  reconcileFromFiles,
  reconcileMetrics,
  startReconcileSchedule,
  writeReconcileReports,
  type Discrepancy,
  type ReconcileResult,
} from '../src/modules/reconcile/index.ts';
import { migrationMigrations } from '../src/migrations.ts';
import { MARIADB_URL } from './support/connector-fixtures.ts';
import { mariaLegacy, sqliteLegacy, type Legacy } from './support/legacy-database.ts';

const SCALE = 24;
const generator = new LegacyAcmeGenerator({ scale: SCALE });
const MIGRATIONS = [ordersMigrations, catalogMigrations, migrationMigrations];

const dir = mkdtempSync(join(tmpdir(), 'only-reconcile-'));
const mariaDatabase = `only_reconcile_${randomBytes(5).toString('hex')}`;
let database: TestDatabase;

beforeAll(async () => {
  await loadLegacyAcme({ target: `sqlite:${join(dir, 'acme.db')}`, scale: SCALE });
  await loadLegacyAcme({ target: `sqlite:${join(dir, 'many.db')}`, scale: SCALE });
  await loadLegacyAcme({ target: `sqlite:${join(dir, 'scheduled.db')}`, scale: SCALE });
  if (MARIADB_URL !== '') {
    await loadLegacyAcme({ target: `${MARIADB_URL}/${mariaDatabase}`, scale: SCALE, batchSize: 100 });
  }
  database = await createTestDatabase(MIGRATIONS);
}, 120_000);

afterAll(async () => {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
  if (MARIADB_URL === '') return;
  const admin = await mysql.createConnection({ uri: MARIADB_URL });
  await admin.query(`DROP DATABASE IF EXISTS \`${mariaDatabase}\``);
  await admin.end();
});

const sources: [string, () => Legacy][] = [['SQLite', () => sqliteLegacy(join(dir, 'acme.db'))]];
if (MARIADB_URL !== '') sources.push(['MariaDB', () => mariaLegacy(mariaDatabase)]);

async function everything(tenantId: string, runId: string): Promise<Discrepancy[]> {
  const out: Discrepancy[] = [];
  for await (const item of allDiscrepancies(database.handle.db, tenantId, runId)) out.push(item);
  return out;
}

const cents = (decimal: unknown) => Math.round(Number(decimal) * 100);
const entityOf = (result: ReconcileResult, name: string) => result.entities.find((e) => e.entity === name);
/** `entity kind key` of every discrepancy but the quarantined, sorted. */
const found = (items: readonly Discrepancy[]) =>
  items
    .filter((d) => d.kind !== 'quarantined')
    .map((d) => `${d.entity} ${d.kind} ${d.legacyKey ?? ''}`)
    .sort();

describe.each(sources)('only reconcile from %s', (_name, legacyOf) => {
  const tenantId = newId('ten');
  let legacy: Legacy;
  let migrationRunId: string;
  let clean: ReconcileResult;

  beforeAll(async () => {
    legacy = legacyOf();
    const migrated = await migrateFromFiles({
      db: database.handle.db,
      mappingPath: LEGACY_ACME_MAPPING_PATH,
      sourceUrl: legacy.url,
      tenant: tenantId,
    });
    migrationRunId = migrated.runId ?? '';
    clean = await reconcileFromFiles({
      db: database.handle.db,
      mappingPath: LEGACY_ACME_MAPPING_PATH,
      sourceUrl: legacy.url,
      tenant: tenantId,
      // Small pages and ranges, so several pages and splits happen even at this scale.
      batchSize: 20,
      leafSize: 2,
      fanout: 4,
    });
  }, 120_000);

  it('finds no discrepancy right after the migration, and reports the quarantined rows apart', async () => {
    expect(clean.discrepancies).toBe(0);
    expect(clean.counts).toMatchObject({ missing: 0, extra: 0, changed: 0 });
    const quarantine = await queryRows<{ entity: string; legacy_key: string }>(
      database.handle.db,
      sql`select entity, legacy_key from migration.quarantine where run_id = ${migrationRunId}`,
    );
    expect(quarantine.length).toBeGreaterThan(0);
    const items = await everything(tenantId, clean.runId);
    expect(items.every((d) => d.kind === 'quarantined')).toBe(true);
    expect(items.map((d) => `${d.entity} ${d.legacyKey}`).sort()).toEqual(
      quarantine.map((q) => `${q.entity} ${q.legacy_key}`).sort(),
    );
    // Pending targets are listed, not compared.
    expect(clean.entities.filter((e) => e.status === 'pending').map((e) => e.entity)).toEqual([
      'invoices',
      'payments',
    ]);
  });

  it('stage 1: legacy rows and money sums by SQL aggregate, Only rows and sums by the id map', async () => {
    const orders = entityOf(clean, 'orders');
    const allOrders = [...generator.rows('ORDERS')];
    expect(orders?.legacy.rows).toBe(allOrders.length);
    expect(orders?.legacy.sums.grandTotal).toBe(
      String(allOrders.reduce((n, o) => n + cents(o.GROSS_AMT), 0)),
    );
    const [stored] = await queryRows<{ n: number; gross: string }>(
      database.handle.db,
      sql`select count(*)::int as n, sum(grand_total)::text as gross from orders.orders where tenant_id = ${tenantId}`,
    );
    expect(orders?.only.rows).toBe(stored?.n);
    expect(orders?.only.native).toBe(0);
    expect(orders?.only.sums.grandTotal).toBe(stored?.gross);
    expect(Object.keys(orders?.only.sums ?? {})).toEqual(['subtotal', 'taxTotal', 'grandTotal']);
    expect((orders?.compared ?? 0) + (orders?.counts.quarantined ?? 0)).toBe(allOrders.length);
    expect(orders?.matched).toBe(orders?.compared);
    const stock = entityOf(clean, 'stock');
    expect(stock?.legacy.rows).toBe([...generator.rows('STOCK')].filter((r) => r.WH_CODE !== 'DEAD').length);
    expect(stock?.matched).toBe(stock?.only.rows);
    // Several pages each; no page differed, so nothing was split or fetched.
    expect(entityOf(clean, 'orderLines')?.search).toMatchObject({ keysReread: 0, rowsFetched: 0 });
    expect(entityOf(clean, 'orderLines')?.search.pages).toBeGreaterThan(3);
  });

  describe('after inserts, changes and deletes in the legacy database', () => {
    const newCustomer = SCALE + 1;
    const order = generator.order(100_001);
    const newLine = order.lines.length + 1;
    const oldEmail = String(generator.customer(1).EMAIL).trim().toLowerCase();
    let deletedLine: string;
    let deletedProduct: string;
    let grossOnly: string;
    let result: ReconcileResult;
    let items: Discrepancy[];

    beforeAll(async () => {
      const pick = async (entity: string, not: string) => {
        const [row] = await queryRows<{ legacy_key: string }>(
          database.handle.db,
          sql`select legacy_key from migration.id_map where tenant_id = ${tenantId} and entity = ${entity}
            and legacy_key not like ${not} order by legacy_key limit 1`,
        );
        return row?.legacy_key ?? '';
      };
      deletedLine = await pick('orderLines', '["100001"%');
      deletedProduct = await pick('products', '');
      grossOnly = await pick('orders', '["100001"%');
      const [lineOrder, lineNo] = decodeLegacyKey(deletedLine);
      const [sku] = decodeLegacyKey(deletedProduct);

      await legacy.exec(
        `INSERT INTO CUSTOMERS (CUST_ID, CUST_NAME, EMAIL, PHONE_AREA, PHONE_NUM, CUST_TYPE, ACTIVE_FLAG,
          CREDIT_LIMIT, CREATED_DT, LAST_UPDATED) VALUES (?, ?, ?, ?, ?, 'R', 'A', ?, ?, ?)`,
        [
          newCustomer,
          'Café <b>Neu</b> & Söhne',
          'neu@example.com',
          '030',
          '5551234',
          '0.00',
          '2024-07-01 10:00:00',
          '2024-07-01 10:00:00',
        ],
      );
      await legacy.exec(
        `INSERT INTO ORDER_LINES (ORDER_NO, LINE_NO, SKU, DESCR, QTY, UNIT_PRICE, TAX_RATE, LINE_AMT, LAST_UPDATED)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          100_001,
          newLine,
          String(generator.product(1).SKU),
          'Extra beans',
          2,
          '5.00',
          '19.00',
          '10.00',
          '2024-07-01 10:00:00',
        ],
      );
      await legacy.exec('UPDATE CUSTOMERS SET EMAIL = ? WHERE CUST_ID = ?', ['Changed@Example.com', 1]);
      // A price correction: net and gross together, so the order still adds up.
      await legacy.exec('UPDATE ORDERS SET NET_AMT = ?, GROSS_AMT = ? WHERE ORDER_NO = ?', [
        ((cents(order.order.NET_AMT) + 1000) / 100).toFixed(2),
        ((cents(order.order.GROSS_AMT) + 1000) / 100).toFixed(2),
        100_001,
      ]);
      // Gross alone: the legacy row no longer adds up, so it no longer maps.
      const grossOrder = Number(decodeLegacyKey(grossOnly)[0]);
      await legacy.exec('UPDATE ORDERS SET GROSS_AMT = ? WHERE ORDER_NO = ?', [
        ((cents(generator.order(grossOrder).order.GROSS_AMT) + 100) / 100).toFixed(2),
        grossOrder,
      ]);
      await legacy.exec('DELETE FROM ORDER_LINES WHERE ORDER_NO = ? AND LINE_NO = ?', [
        Number(lineOrder),
        Number(lineNo),
      ]);
      await legacy.exec('DELETE FROM PRODUCTS WHERE SKU = ?', [sku ?? '']);

      result = await reconcileFromFiles({
        db: database.handle.db,
        mappingPath: LEGACY_ACME_MAPPING_PATH,
        sourceUrl: legacy.url,
        tenant: tenantId,
        batchSize: 20,
        leafSize: 2,
        fanout: 4,
      });
      items = await everything(tenantId, result.runId);
    }, 120_000);

    it('reports exactly those rows as missing, changed and extra', () => {
      expect(found(items)).toEqual(
        [
          `customers missing ${encodeLegacyKey([newCustomer])}`,
          `customers changed ${encodeLegacyKey([1])}`,
          `orders changed ${encodeLegacyKey([100_001])}`,
          `orders changed ${grossOnly}`,
          `orderLines missing ${encodeLegacyKey([100_001, newLine])}`,
          `orderLines extra ${deletedLine}`,
          `products extra ${deletedProduct}`,
        ].sort(),
      );
      expect(result.discrepancies).toBe(7);
      expect(result.counts.quarantined).toBe(clean.counts.quarantined);
      expect(entityOf(result, 'customers')?.counts).toEqual({
        missing: 1,
        extra: 0,
        changed: 1,
        quarantined: 2,
      });
      expect(entityOf(result, 'stock')?.counts).toMatchObject({ missing: 0, extra: 0, changed: 0 });
    });

    it('names the changed fields with both values, after the mapping', () => {
      const customer = items.find((d) => d.entity === 'customers' && d.kind === 'changed');
      expect(customer?.fields).toEqual([{ field: 'email', legacy: 'changed@example.com', only: oldEmail }]);
      expect(customer?.onlyId).toMatch(/^cus_/);
      const changedOrder = items.find((d) => d.legacyKey === encodeLegacyKey([100_001]));
      expect(changedOrder?.errors).toBeNull();
      expect(changedOrder?.fields).toEqual([
        { field: 'subtotal', legacy: cents(order.order.NET_AMT) + 1000, only: cents(order.order.NET_AMT) },
        {
          field: 'grandTotal',
          legacy: cents(order.order.GROSS_AMT) + 1000,
          only: cents(order.order.GROSS_AMT),
        },
      ]);
    });

    it('reports a legacy row that no longer maps as changed, with the reason', () => {
      const order = items.find((d) => d.legacyKey === grossOnly);
      expect(order).toMatchObject({ entity: 'orders', kind: 'changed', fields: [] });
      expect(order?.onlyId).toMatch(/^ord_/);
      expect(order?.errors?.map((e) => [e.field, e.rule])).toEqual([['grandTotal', 'totals_add_up']]);
    });

    it('shows a missing row as mapped from the legacy system and an extra one as Only holds it', () => {
      const missing = items.find((d) => d.entity === 'customers' && d.kind === 'missing');
      expect(missing?.onlyId).toBeNull();
      expect(missing?.fields).toContainEqual({ field: 'email', legacy: 'neu@example.com', only: null });
      expect(missing?.fields).toContainEqual({ field: 'phone', legacy: '030 5551234', only: null });
      const extra = items.find((d) => d.entity === 'products' && d.kind === 'extra');
      expect(extra?.onlyId).toMatch(/^prd_/);
      expect(extra?.fields).toContainEqual({
        field: 'sku',
        legacy: null,
        only: decodeLegacyKey(deletedProduct)[0],
      });
      // Stage 1 saw the two gross changes: +10.00 and +1.00.
      const orders = entityOf(result, 'orders');
      expect(
        Number(orders?.legacy.sums.grandTotal) - Number(entityOf(clean, 'orders')?.legacy.sums.grandTotal),
      ).toBe(1000 + 100);
      // The page checksums narrowed the search: only a few rows were fetched to compare.
      const lines = entityOf(result, 'orderLines');
      expect(lines?.search.rowsFetched).toBeLessThan(20);
      expect(lines?.search.bucketScan).toBe(true);
    });

    it('writes JSON, CSV and HTML reports that parse and say the same', async () => {
      const reportDir = join(dir, `reports-${tenantId}`);
      const paths = await writeReconcileReports({
        db: database.handle.db,
        tenantId,
        runId: result.runId,
        dir: reportDir,
        formats: ['json', 'csv', 'html'],
      });
      const json = JSON.parse(readFileSync(paths.json ?? '', 'utf8')) as {
        run: { id: string; counts: unknown };
        discrepancies: Discrepancy[];
      };
      expect(json.run.id).toBe(result.runId);
      expect(json.run.counts).toEqual(result.counts);
      expect(found(json.discrepancies)).toEqual(found(items));

      const csv = parse<Record<string, string>>(readFileSync(paths.csv ?? '', 'utf8'), { columns: true });
      expect(csv).toHaveLength(items.length);
      const changedOrder = csv.find((r) => r.legacy_key === encodeLegacyKey([100_001]));
      expect(changedOrder?.fields).toBe('subtotal;grandTotal');
      expect(JSON.parse(changedOrder?.legacy_values ?? '{}')).toEqual({
        subtotal: cents(order.order.NET_AMT) + 1000,
        grandTotal: cents(order.order.GROSS_AMT) + 1000,
      });

      const html = readFileSync(paths.html ?? '', 'utf8');
      expect(html).toMatch(/^<!doctype html>/);
      expect(html).toContain('7 discrepancies');
      expect(html).toContain('Café &lt;b&gt;Neu&lt;/b&gt; &amp; Söhne');
      expect(html).not.toContain('<b>Neu</b>');
      expect(html).toContain('changed@example.com');
    });

    it('keeps the runs: listed newest first, each with its discrepancies page by page, for its tenant only', async () => {
      const db = database.handle.db;
      const runs = await listReconcileRuns(db, tenantId);
      expect(runs.items.map((r) => r.id)).toEqual([result.runId, clean.runId]);
      expect(runs.items[0]).toMatchObject({ status: 'completed', trigger: 'cli', counts: result.counts });
      expect(runs.items[0]?.sourceUrl).not.toMatch(/:[^:@/]+@/);

      const seen: string[] = [];
      let after: string | undefined;
      for (let page = 0; page < 50; page++) {
        const got = await getReconcileRun(db, tenantId, result.runId, {
          limit: 4,
          ...(after ? { after } : {}),
        });
        seen.push(...(got?.discrepancies.items.map((d) => d.id) ?? []));
        if (!got?.discrepancies.nextCursor) break;
        after = got.discrepancies.nextCursor;
      }
      expect(seen).toEqual(items.map((d) => d.id));
      const changed = await getReconcileRun(db, tenantId, result.runId, { kind: 'changed' });
      expect(changed?.discrepancies.items.map((d) => d.entity).sort()).toEqual([
        'customers',
        'orders',
        'orders',
      ]);

      const other = newId('ten');
      expect((await listReconcileRuns(db, other)).items).toEqual([]);
      expect(await getReconcileRun(db, other, result.runId)).toBeUndefined();
    });

    it('sets the discrepancy gauges of the last run per entity and kind', async () => {
      const values = (await reconcileMetrics.discrepancies.get()).values.filter(
        (v) => v.labels.tenant === tenantId,
      );
      const of = (entity: string, kind: string) =>
        values.find((v) => v.labels.entity === entity && v.labels.kind === kind)?.value;
      expect(of('customers', 'missing')).toBe(1);
      expect(of('orderLines', 'extra')).toBe(1);
      expect(of('stock', 'changed')).toBe(0);
    });
  });
});

describe('many rows deleted in the legacy database', () => {
  it('finds every extra row, several to a key bucket', async () => {
    const tenantId = newId('ten');
    const legacy = sqliteLegacy(join(dir, 'many.db'));
    await migrateFromFiles({
      db: database.handle.db,
      mappingPath: LEGACY_ACME_MAPPING_PATH,
      sourceUrl: legacy.url,
      tenant: tenantId,
    });
    const loaded = await queryRows<{ legacy_key: string }>(
      database.handle.db,
      sql`select legacy_key from migration.id_map where tenant_id = ${tenantId} and entity = 'orderLines'`,
    );
    // Every third loaded line: far more extras than buckets of one.
    const deleted = loaded.filter((_, i) => i % 3 === 0).map((r) => r.legacy_key);
    for (const key of deleted) {
      const [orderNo, lineNo] = decodeLegacyKey(key);
      await legacy.exec('DELETE FROM ORDER_LINES WHERE ORDER_NO = ? AND LINE_NO = ?', [
        Number(orderNo),
        Number(lineNo),
      ]);
    }
    const result = await reconcileFromFiles({
      db: database.handle.db,
      mappingPath: LEGACY_ACME_MAPPING_PATH,
      sourceUrl: legacy.url,
      tenant: tenantId,
      entities: ['orderLines'],
    });
    const items: Discrepancy[] = [];
    for await (const item of allDiscrepancies(database.handle.db, tenantId, result.runId)) items.push(item);
    expect(
      items
        .filter((d) => d.kind === 'extra')
        .map((d) => d.legacyKey)
        .sort(),
    ).toEqual([...deleted].sort());
    expect(result.counts).toMatchObject({ missing: 0, changed: 0, extra: deleted.length });
    expect(result.entities.map((e) => e.entity)).toEqual(['orderLines']);
  }, 120_000);
});

describe('scheduled reconciliation', () => {
  const tenantId = newId('ten');
  const legacy = sqliteLegacy(join(dir, 'scheduled.db'));

  beforeAll(async () => {
    await migrateFromFiles({
      db: database.handle.db,
      mappingPath: LEGACY_ACME_MAPPING_PATH,
      sourceUrl: legacy.url,
      tenant: tenantId,
    });
  }, 120_000);

  it('runs again and again, one run at a time, writes each run’s reports, and stops cleanly', async () => {
    const reportDir = join(dir, 'scheduled-reports');
    const outcomes: { result?: ReconcileResult; error?: unknown }[] = [];
    let enough: () => void = () => undefined;
    const twoRuns = new Promise<void>((resolve) => (enough = resolve));
    const schedule = startReconcileSchedule({
      db: database.handle.db,
      logger: silentLogger(),
      intervalMs: 20,
      initialDelayMs: 0,
      mappingPath: LEGACY_ACME_MAPPING_PATH,
      sourceUrl: legacy.url,
      tenant: tenantId,
      entities: ['customers', 'products'],
      reportDir,
      formats: ['json'],
      onRun: (outcome) => {
        outcomes.push(outcome);
        if (outcomes.length >= 2) enough();
      },
    });
    await twoRuns;
    await schedule.stop();
    const settled = outcomes.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(outcomes.length).toBe(settled);
    expect(outcomes.slice(0, 2).map((o) => [o.error, o.result?.discrepancies])).toEqual([
      [undefined, 0],
      [undefined, 0],
    ]);

    const runs = (await listReconcileRuns(database.handle.db, tenantId)).items.toReversed();
    expect(runs.length).toBe(settled);
    expect(
      runs.every((r) => r.trigger === 'schedule' && r.entityFilter?.join() === 'customers,products'),
    ).toBe(true);
    // Never two at once: each run started after the one before had ended.
    for (let i = 1; i < runs.length; i++) {
      expect(Date.parse(runs[i]?.startedAt ?? '')).toBeGreaterThanOrEqual(
        Date.parse(runs[i - 1]?.finishedAt ?? ''),
      );
    }
    const completed = runs.filter((r) => r.status === 'completed').map((r) => `reconcile-${r.id}.json`);
    expect(readdirSync(reportDir).sort()).toEqual(expect.arrayContaining(completed.sort()));
  }, 120_000);

  it('a run stopped between pages is stored as failed with the reason', async () => {
    const controller = new AbortController();
    let runId = '';
    await expect(
      reconcileFromFiles({
        db: database.handle.db,
        mappingPath: LEGACY_ACME_MAPPING_PATH,
        sourceUrl: legacy.url,
        tenant: tenantId,
        batchSize: 5,
        signal: controller.signal,
        onOpened: (id) => (runId = id),
        onProgress: (progress) => {
          if (progress.kind === 'page') controller.abort(new Error('stopped'));
        },
      }),
    ).rejects.toThrow('stopped');
    const stored = await getReconcileRun(database.handle.db, tenantId, runId);
    expect(stored?.run).toMatchObject({ status: 'failed', error: 'stopped' });
    expect(stored?.run.finishedAt).not.toBeNull();
  }, 60_000);
});
