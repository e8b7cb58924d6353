// `only sync` of the legacy ACME example after `only migrate`: inserts, changes and deletes made in
// the legacy database reach Only — by the LAST_UPDATED watermark, and by diff for STOCK, which has
// none — and nothing else changes; a re-run is a no-op. Conflicts (a customer changed on both
// sides) under each policy, with their events and metrics, and the manual queue through the API.
// From SQLite always; from MariaDB too when MARIADB_URL names a server.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogMigrations } from '@only/catalog';
import { LEGACY_ACME_MAPPING_PATH, LegacyAcmeGenerator, loadLegacyAcme } from '@only/example-legacy-acme';
import { ordersMigrations } from '@only/orders';
import { problemSchema } from '@only/platform/errors';
import { queryRows, type Database } from '@only/platform/db';
import { newId } from '@only/platform/ids';
import { createTestDatabase, type TestDatabase } from '@only/testing';
import { sql } from 'drizzle-orm';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationMigrations } from '../src/migrations.ts';
import { migrateFromFiles } from '../src/modules/loader/index.ts';
import { decodeLegacyKey, encodeLegacyKey } from '../src/modules/mapping/index.ts';
import {
  findSyncState,
  syncFromFiles,
  syncMetrics,
  startSyncSchedule,
  type SyncResult,
} from '../src/modules/sync/index.ts';
import { MARIADB_URL } from './support/connector-fixtures.ts';
import { mariaLegacy, sqliteLegacy, type Legacy } from './support/legacy-database.ts';
import { startMigrationApi, type MigrationApi } from './support/migration-api.ts';

const SCALE = 24;
const generator = new LegacyAcmeGenerator({ scale: SCALE });
const MIGRATIONS = [ordersMigrations, catalogMigrations, migrationMigrations];
const dir = mkdtempSync(join(tmpdir(), 'only-sync-'));
const mariaDatabase = `only_sync_${randomBytes(5).toString('hex')}`;
let database: TestDatabase;

/** The example mapping with one entity's conflict policy replaced, written to a file. */
function mappingWith(customersPolicy: string): string {
  const text = readFileSync(LEGACY_ACME_MAPPING_PATH, 'utf8');
  const marker = '      watermark: { column: LAST_UPDATED, type: timestamp }\n      conflicts: manual';
  expect(text).toContain(marker);
  const file = join(dir, `mapping-${customersPolicy}.yaml`);
  writeFileSync(
    file,
    text.replace(
      marker,
      `      watermark: { column: LAST_UPDATED, type: timestamp }\n      conflicts: ${customersPolicy}`,
    ),
  );
  return file;
}

beforeAll(async () => {
  await loadLegacyAcme({ target: `sqlite:${join(dir, 'acme.db')}`, scale: SCALE });
  await loadLegacyAcme({ target: `sqlite:${join(dir, 'conflicts.db')}`, scale: SCALE });
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

const TABLES = [
  'orders.customers',
  'orders.orders',
  'orders.order_lines',
  'catalog.products',
  'catalog.stock_levels',
];

/** Every row of the tenant in the synced tables, as JSON text by table and id. */
async function snapshot(db: Database, tenantId: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const table of TABLES) {
    const id = table === 'catalog.stock_levels' ? `product_id || '@' || location_id` : 'id';
    const rows = await queryRows<{ id: string; row: string }>(
      db,
      sql`select ${sql.raw(id)} as id, row_to_json(t)::text as row from ${sql.raw(table)} t where tenant_id = ${tenantId}`,
    );
    for (const row of rows) out.set(`${table} ${row.id}`, row.row);
  }
  return out;
}

/** `table id` of rows added, changed and removed between two snapshots. */
function changes(before: Map<string, string>, after: Map<string, string>) {
  const added = [...after.keys()].filter((k) => !before.has(k));
  const removed = [...before.keys()].filter((k) => !after.has(k));
  const changed = [...after.keys()].filter((k) => before.has(k) && before.get(k) !== after.get(k));
  return { added, removed, changed };
}

async function idOf(db: Database, tenantId: string, entity: string, key: unknown[]): Promise<string> {
  const [row] = await queryRows<{ only_id: string }>(
    db,
    sql`select only_id from migration.id_map where tenant_id = ${tenantId} and entity = ${entity}
      and legacy_key = ${encodeLegacyKey(key)}`,
  );
  return row?.only_id ?? '';
}

const entityOf = (result: SyncResult, name: string) => result.entities.find((e) => e.entity === name);

const sources: [string, () => Legacy][] = [['SQLite', () => sqliteLegacy(join(dir, 'acme.db'))]];
if (MARIADB_URL !== '') sources.push(['MariaDB', () => mariaLegacy(mariaDatabase)]);

describe.each(sources)('only sync from %s', (_name, legacyOf) => {
  const tenantId = newId('ten');
  let legacy: Legacy;
  let first: SyncResult;
  const sync = () =>
    syncFromFiles({
      db: database.handle.db,
      mappingPath: LEGACY_ACME_MAPPING_PATH,
      sourceUrl: legacy.url,
      tenant: tenantId,
      batchSize: 20,
    });

  beforeAll(async () => {
    legacy = legacyOf();
    await migrateFromFiles({
      db: database.handle.db,
      mappingPath: LEGACY_ACME_MAPPING_PATH,
      sourceUrl: legacy.url,
      tenant: tenantId,
    });
    const before = await snapshot(database.handle.db, tenantId);
    first = await sync();
    expect(changes(before, await snapshot(database.handle.db, tenantId))).toEqual({
      added: [],
      removed: [],
      changed: [],
    });
  }, 120_000);

  it('changes nothing right after the migration, and sets each watermark', () => {
    expect(first.totals).toMatchObject({ inserted: 0, updated: 0, deleted: 0, conflicts: 0 });
    expect(entityOf(first, 'stock')?.mode).toBe('diff');
    expect(entityOf(first, 'customers')?.mode).toBe('watermark');
    const maxUpdated = [...generator.rows('CUSTOMERS')]
      .map((c) => String(c.LAST_UPDATED))
      .sort()
      .at(-1);
    expect(entityOf(first, 'customers')?.watermark).toBe(maxUpdated);
    // Invoices and payments have no writer: not synced.
    expect(first.entities.map((e) => e.entity)).not.toContain('invoices');
  });

  describe('after inserts, changes and deletes in the legacy database', () => {
    const newCustomer = SCALE + 1;
    const newOrder = 100_001 + SCALE * 3;
    const changedOrder = 100_001;
    const stamp = '2030-01-01 10:00:00';
    let deletedLine: string;
    let stockKey: string[];
    let before: Map<string, string>;
    let after: Map<string, string>;
    let result: SyncResult;

    beforeAll(async () => {
      const db = database.handle.db;
      const [line] = await queryRows<{ legacy_key: string }>(
        db,
        sql`select legacy_key from migration.id_map where tenant_id = ${tenantId} and entity = 'orderLines'
          and legacy_key not like '["100001"%' order by legacy_key limit 1`,
      );
      deletedLine = line?.legacy_key ?? '';
      const [stock] = await queryRows<{ legacy_key: string }>(
        db,
        sql`select legacy_key from migration.id_map where tenant_id = ${tenantId} and entity = 'stock'
          order by legacy_key limit 1`,
      );
      stockKey = decodeLegacyKey(stock?.legacy_key ?? '[]');
      before = await snapshot(db, tenantId);

      await legacy.exec(
        `INSERT INTO CUSTOMERS (CUST_ID, CUST_NAME, EMAIL, PHONE_AREA, PHONE_NUM, CUST_TYPE, ACTIVE_FLAG,
          CREDIT_LIMIT, CREATED_DT, LAST_UPDATED) VALUES (?, ?, ?, ?, ?, 'R', 'A', ?, ?, ?)`,
        [newCustomer, 'Neu & Söhne', 'neu@example.com', '030', '5551234', '0.00', stamp, stamp],
      );
      await legacy.exec(
        `INSERT INTO ORDERS (ORDER_NO, CUST_ID, ORDER_DATE, ORD_STATUS, CURRENCY_CD, NET_AMT, TAX_AMT,
          GROSS_AMT, SHIP_FLAG, REMARKS, LAST_UPDATED) VALUES (?, ?, ?, 'N', 'EUR', ?, ?, ?, 'N', NULL, ?)`,
        [newOrder, newCustomer, stamp, '20.00', '3.80', '23.80', stamp],
      );
      for (const lineNo of [1, 2]) {
        await legacy.exec(
          `INSERT INTO ORDER_LINES (ORDER_NO, LINE_NO, SKU, DESCR, QTY, UNIT_PRICE, TAX_RATE, LINE_AMT, LAST_UPDATED)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [newOrder, lineNo, String(generator.product(1).SKU), 'Beans', 1, '10.00', '19.00', '10.00', stamp],
        );
      }
      await legacy.exec('UPDATE CUSTOMERS SET EMAIL = ?, LAST_UPDATED = ? WHERE CUST_ID = ?', [
        'Changed@Example.com',
        stamp,
        2,
      ]);
      await legacy.exec("UPDATE ORDERS SET ORD_STATUS = 'X', LAST_UPDATED = ? WHERE ORDER_NO = ?", [
        stamp,
        changedOrder,
      ]);
      const [lineOrder, lineNo] = decodeLegacyKey(deletedLine);
      await legacy.exec('DELETE FROM ORDER_LINES WHERE ORDER_NO = ? AND LINE_NO = ?', [
        Number(lineOrder),
        Number(lineNo),
      ]);
      // STOCK has no LAST_UPDATED: only the diff sees this.
      await legacy.exec('UPDATE STOCK SET QTY_ON_HAND = 4321 WHERE SKU = ? AND WH_CODE = ?', [
        stockKey[0] ?? '',
        stockKey[1] ?? '',
      ]);

      result = await sync();
      after = await snapshot(db, tenantId);
    }, 120_000);

    it('applies exactly those changes to Only, and nothing else', async () => {
      const db = database.handle.db;
      const customer = await idOf(db, tenantId, 'customers', [newCustomer]);
      const order = await idOf(db, tenantId, 'orders', [newOrder]);
      const lines = [
        await idOf(db, tenantId, 'orderLines', [newOrder, 1]),
        await idOf(db, tenantId, 'orderLines', [newOrder, 2]),
      ];
      const [stock] = await queryRows<{ id: string }>(
        db,
        sql`select s.product_id || '@' || s.location_id as id from catalog.stock_levels s
          join catalog.locations l on l.id = s.location_id
          where s.tenant_id = ${tenantId} and s.on_hand = 4321`,
      );
      const diff = changes(before, after);
      expect(diff.added.sort()).toEqual(
        [
          `orders.customers ${customer}`,
          `orders.orders ${order}`,
          ...lines.map((l) => `orders.order_lines ${l}`),
        ].sort(),
      );
      expect(diff.removed).toHaveLength(1);
      expect(diff.removed[0]).toMatch(/^orders\.order_lines oln_/);
      expect(diff.changed.sort()).toEqual(
        [
          `orders.customers ${await idOf(db, tenantId, 'customers', [2])}`,
          `orders.orders ${await idOf(db, tenantId, 'orders', [changedOrder])}`,
          `catalog.stock_levels ${stock?.id ?? ''}`,
        ].sort(),
      );
      const [row] = await queryRows<{ email: string; status: string; lines: number; on_hand: number }>(
        db,
        sql`select (select email from orders.customers where id = ${await idOf(db, tenantId, 'customers', [2])}) as email,
            (select status from orders.orders where id = ${await idOf(db, tenantId, 'orders', [changedOrder])}) as status,
            (select count(*)::int from orders.order_lines where order_id = ${order}) as lines,
            4321 as on_hand`,
      );
      expect(row).toMatchObject({ email: 'changed@example.com', status: 'cancelled', lines: 2 });
      expect(await idOf(db, tenantId, 'orderLines', decodeLegacyKey(deletedLine))).toBe('');
    });

    it('counts per entity and advances the watermark', async () => {
      expect(entityOf(result, 'customers')?.counts).toMatchObject({
        read: 2,
        inserted: 1,
        updated: 1,
        conflicts: 0,
      });
      expect(entityOf(result, 'orders')?.counts).toMatchObject({ read: 2, inserted: 1, updated: 1 });
      expect(entityOf(result, 'orderLines')?.counts).toMatchObject({ read: 2, inserted: 2, deleted: 1 });
      expect(entityOf(result, 'stock')?.counts).toMatchObject({ updated: 1, inserted: 0 });
      expect(entityOf(result, 'customers')?.watermark).toBe(stamp);
      const state = await findSyncState(database.handle.db, tenantId, 'customers');
      expect(state).toMatchObject({ watermark: stamp, lastStatus: 'completed', pass: null });
      expect(state?.watermarkKeys.sort()).toEqual(
        [encodeLegacyKey([2]), encodeLegacyKey([newCustomer])].sort(),
      );
    });

    it('does nothing when run again', async () => {
      const again = await sync();
      // STOCK is compared row by row each time: its row of the rejected product is rejected again.
      expect(again.totals).toMatchObject({
        inserted: 0,
        updated: 0,
        deleted: 0,
        conflicts: 0,
        rejected: entityOf(first, 'stock')?.counts.rejected,
      });
      expect(entityOf(first, 'stock')?.counts.rejected).toBeGreaterThan(0);
      // Rows the migration quarantined were alerted then: no failure event for them now.
      const failed = await queryRows(
        database.handle.db,
        sql`select 1 from migration.outbox where tenant_id = ${tenantId} and type = 'migration.sync.failed'`,
      );
      expect(failed).toHaveLength(0);
      expect(entityOf(again, 'customers')?.counts.read).toBe(0);
      expect(changes(after, await snapshot(database.handle.db, tenantId))).toEqual({
        added: [],
        removed: [],
        changed: [],
      });
    });
  });
});

describe('conflicts: a customer changed in Only and in the legacy system', () => {
  let api: MigrationApi;
  let client: ReturnType<MigrationApi['newTenant']>;
  const legacy = sqliteLegacy(join(dir, 'conflicts.db'));
  const sync = (policy: string) =>
    syncFromFiles({
      db: api.db,
      mappingPath: mappingWith(policy),
      sourceUrl: legacy.url,
      tenant: client.tenantId,
    });

  /** Changes customer `custId` in Only (as the orders service does: updated_at now) and in legacy. */
  async function changeBoth(custId: number, legacyStamp: string) {
    const id = await idOf(api.db, client.tenantId, 'customers', [custId]);
    await queryRows(
      api.db,
      sql`update orders.customers set name = 'Only name', updated_at = now(), version = version + 1 where id = ${id}`,
    );
    await legacy.exec('UPDATE CUSTOMERS SET CUST_NAME = ?, LAST_UPDATED = ? WHERE CUST_ID = ?', [
      'Legacy name',
      legacyStamp,
      custId,
    ]);
    return id;
  }
  const nameOf = async (id: string) =>
    (await queryRows<{ name: string }>(api.db, sql`select name from orders.customers where id = ${id}`))[0]
      ?.name;
  const conflictEvents = async () =>
    queryRows<{
      envelope: {
        data: { entity: string; resolution: string | null; legacyKey: string[]; fields: string[] };
      };
    }>(
      api.db,
      sql`select envelope from migration.outbox where tenant_id = ${client.tenantId}
        and type = 'migration.sync.conflict_detected' order by occurred_at, id`,
    );
  const metric = async (policy: string, resolution: string) =>
    (await syncMetrics.conflicts.get()).values.find(
      (v) =>
        v.labels.tenant === client.tenantId &&
        v.labels.policy === policy &&
        v.labels.resolution === resolution,
    )?.value ?? 0;

  beforeAll(async () => {
    api = await startMigrationApi();
    client = api.newTenant();
    await migrateFromFiles({
      db: api.db,
      mappingPath: LEGACY_ACME_MAPPING_PATH,
      sourceUrl: legacy.url,
      tenant: client.tenantId,
    });
    await sync('manual');
  }, 120_000);

  afterAll(async () => {
    await api.close();
  });

  it('legacy-wins applies the legacy values and records the conflict as resolved', async () => {
    const id = await changeBoth(2, '2025-01-01 10:00:00');
    const result = await sync('legacy-wins');
    expect(entityOf(result, 'customers')?.counts).toMatchObject({ conflicts: 1, updated: 1 });
    expect(await nameOf(id)).toBe('Legacy name');
    const events = await conflictEvents();
    expect(events.map((e) => e.envelope.data)).toEqual([
      expect.objectContaining({
        entity: 'customers',
        resolution: 'legacy',
        legacyKey: ['2'],
        fields: ['name', 'updatedAt'],
      }),
    ]);
    expect(await metric('legacy-wins', 'legacy')).toBe(1);
  });

  it('modern-wins keeps Only’s values, also on the next sync', async () => {
    const id = await changeBoth(4, '2025-01-02 10:00:00');
    const result = await sync('modern-wins');
    expect(entityOf(result, 'customers')?.counts).toMatchObject({ conflicts: 1, updated: 0 });
    expect(await nameOf(id)).toBe('Only name');
    const again = await sync('modern-wins');
    expect(entityOf(again, 'customers')?.counts).toMatchObject({ conflicts: 0, updated: 0 });
    expect(await nameOf(id)).toBe('Only name');
    expect(await metric('modern-wins', 'modern')).toBe(1);
  });

  it('newest-wins keeps the later change', async () => {
    // Only's change is now; one legacy change is older (2025), one newer (2030).
    const older = await changeBoth(6, '2025-01-03 10:00:00');
    const newer = await changeBoth(7, '2030-01-03 10:00:00');
    const result = await sync('newest-wins');
    expect(entityOf(result, 'customers')?.counts).toMatchObject({ conflicts: 2, updated: 1 });
    expect(await nameOf(older)).toBe('Only name');
    expect(await nameOf(newer)).toBe('Legacy name');
    const resolutions = (await conflictEvents())
      .slice(-2)
      .map((e) => `${e.envelope.data.legacyKey[0]} ${e.envelope.data.resolution}`);
    expect(resolutions.sort()).toEqual(['6 modern', '7 legacy']);
  });

  it('manual parks the conflict; the API lists it, resolves it once, and only in its tenant', async () => {
    const id = await changeBoth(9, '2030-01-04 10:00:00');
    const result = await sync('manual');
    expect(entityOf(result, 'customers')?.counts).toMatchObject({ conflicts: 1, updated: 0 });
    expect(await nameOf(id)).toBe('Only name');
    expect(await metric('manual', 'open')).toBe(1);

    const listed = await client.get('/sync/conflicts?status=open');
    expect(listed.status).toBe(200);
    const page = listed.json() as {
      items: {
        id: string;
        legacyKey: string[];
        legacyValues: Record<string, unknown>;
        onlyValues: Record<string, unknown>;
        status: string;
      }[];
    };
    expect(page.items).toHaveLength(1);
    const conflict = page.items[0];
    expect(conflict).toMatchObject({
      legacyKey: ['9'],
      status: 'open',
    });
    expect(conflict?.legacyValues.name).toBe('Legacy name');
    expect(conflict?.onlyValues.name).toBe('Only name');
    const conflictId = conflict?.id ?? '';

    const state = await client.get('/sync/state');
    expect(state.status).toBe(200);
    const states = (state.json() as { items: { entity: string; mode: string; openConflicts: number }[] })
      .items;
    expect(states.find((s) => s.entity === 'customers')).toMatchObject({
      mode: 'watermark',
      openConflicts: 1,
    });
    expect(states.find((s) => s.entity === 'stock')).toMatchObject({ mode: 'diff' });

    // Another tenant sees nothing and cannot resolve it; a reader cannot; bad input is a 400.
    const other = api.newTenant();
    expect((await other.get('/sync/conflicts')).json()).toMatchObject({ items: [] });
    expect((await other.post(`/sync/conflicts/${conflictId}/resolve`, { resolution: 'legacy' })).status).toBe(
      404,
    );
    expect(
      (await client.as(['viewer']).post(`/sync/conflicts/${conflictId}/resolve`, { resolution: 'legacy' }))
        .status,
    ).toBe(403);
    const bad = await client.post(`/sync/conflicts/${conflictId}/resolve`, { resolution: 'both' });
    expect(bad.status).toBe(400);
    expect(bad.header('content-type')).toMatch(/^application\/problem\+json/);
    expect(problemSchema.parse(bad.json()).errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'resolution' })]),
    );
    expect((await client.get('/sync/conflicts?status=maybe')).status).toBe(400);

    const resolved = await client.post(`/sync/conflicts/${conflictId}/resolve`, { resolution: 'legacy' });
    expect(resolved.status).toBe(200);
    expect(resolved.json()).toMatchObject({
      status: 'resolved',
      resolution: 'legacy',
      resolvedBy: `user ${client.userId}`,
    });
    expect(await nameOf(id)).toBe('Legacy name');
    const twice = await client.post(`/sync/conflicts/${conflictId}/resolve`, { resolution: 'modern' });
    expect(twice.status).toBe(409);
    expect(problemSchema.parse(twice.json())).toMatchObject({ code: 'migration.sync_conflict_resolved' });
    // Resolved: the next sync leaves the row alone.
    const next = await sync('manual');
    expect(entityOf(next, 'customers')?.counts).toMatchObject({ conflicts: 0, updated: 0 });
  });

  it('a legacy row that no longer maps is alerted (event and metric) and not applied', async () => {
    const id = await idOf(api.db, client.tenantId, 'customers', [10]);
    const failuresBefore =
      (await syncMetrics.failures.get()).values.find(
        (v) => v.labels.tenant === client.tenantId && v.labels.scope === 'row',
      )?.value ?? 0;
    await legacy.exec('UPDATE CUSTOMERS SET EMAIL = ?, LAST_UPDATED = ? WHERE CUST_ID = ?', [
      'not-an-email',
      '2030-01-05 10:00:00',
      10,
    ]);
    const result = await sync('manual');
    expect(entityOf(result, 'customers')?.counts).toMatchObject({ rejected: 1, updated: 0 });
    expect(entityOf(result, 'customers')?.rejected).toEqual([
      expect.objectContaining({
        legacyKey: encodeLegacyKey([10]),
        errors: [expect.objectContaining({ field: 'email' })],
      }),
    ]);
    const events = await queryRows<{ envelope: { data: Record<string, unknown> } }>(
      api.db,
      sql`select envelope from migration.outbox where tenant_id = ${client.tenantId} and type = 'migration.sync.failed'`,
    );
    expect(events.map((e) => e.envelope.data)).toEqual([
      expect.objectContaining({ scope: 'row', entity: 'customers', legacyKey: ['10'] }),
    ]);
    const failuresAfter =
      (await syncMetrics.failures.get()).values.find(
        (v) => v.labels.tenant === client.tenantId && v.labels.scope === 'row',
      )?.value ?? 0;
    expect(failuresAfter - failuresBefore).toBe(1);
    const [row] = await queryRows<{ email: string }>(
      api.db,
      sql`select email from orders.customers where id = ${id}`,
    );
    expect(row?.email).not.toBe('not-an-email');
  });

  it('a scheduled sync runs until stopped, never two at once', async () => {
    let running = 0;
    let most = 0;
    const results: SyncResult[] = [];
    let stopped!: () => void;
    const twoRuns = new Promise<void>((resolve) => (stopped = resolve));
    const schedule = startSyncSchedule({
      intervalMs: 10,
      run: async (signal) => {
        running++;
        most = Math.max(most, running);
        try {
          return await syncFromFiles({
            db: api.db,
            mappingPath: mappingWith('manual'),
            sourceUrl: legacy.url,
            tenant: client.tenantId,
            signal,
          });
        } finally {
          running--;
        }
      },
      onRun: (result) => {
        results.push(result);
        if (results.length === 2) stopped();
      },
    });
    await twoRuns;
    await schedule.stop();
    expect(most).toBe(1);
    expect(results.length).toBeGreaterThanOrEqual(2);
    expect(results[1]?.totals).toMatchObject({ inserted: 0, updated: 0, conflicts: 0 });
  }, 60_000);
});
