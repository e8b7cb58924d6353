// Reconciliation runs through the HTTP API: the legacy ACME example migrated through the API,
// changed at the source, reconciled; the run listed, read with its discrepancies filtered and
// paged, and its reports (JSON, CSV, HTML) streamed — only to the tenant that owns it.
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { LEGACY_ACME_MAPPING_PATH, loadLegacyAcme } from '@only/example-legacy-acme';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareMapping } from '../src/modules/loader/migrate-command.ts';
import { reconcileFromSource } from '../src/modules/reconcile/index.ts';
import { startMigrationApi, type MigrationApi, type MigrationClient } from './support/migration-api.ts';

const dir = mkdtempSync(join(tmpdir(), 'only-reconcile-api-'));
const acmeDb = join(dir, 'acme.db');
let api: MigrationApi;
let owner: MigrationClient;
let runId: string;

beforeAll(async () => {
  await loadLegacyAcme({ target: `sqlite:${acmeDb}`, scale: 24 });
  api = await startMigrationApi({ sources: [{ name: 'acme-legacy', url: `sqlite:${acmeDb}` }] });
  owner = api.newTenant();
  const started = await owner.post('/runs', {
    mapping: await readFile(LEGACY_ACME_MAPPING_PATH, 'utf8'),
    source: 'acme-legacy',
  });
  expect(started.status, started.text).toBe(202);
  const stream = await owner.events(started.run().id);
  await stream.untilEnded();
  await stream.close();

  // At the source after the migration: one e-mail changed, two customers added.
  const legacy = new DatabaseSync(acmeDb);
  legacy.exec("UPDATE CUSTOMERS SET EMAIL = 'changed@example.com' WHERE CUST_ID = 1");
  legacy.exec(
    `INSERT INTO CUSTOMERS (CUST_ID, CUST_NAME, EMAIL, PHONE_AREA, PHONE_NUM, CUST_TYPE, ACTIVE_FLAG, CREDIT_LIMIT, CREATED_DT, LAST_UPDATED)
     SELECT CUST_ID + 1000, CUST_NAME, 'new-' || CUST_ID || '@example.com', PHONE_AREA, PHONE_NUM, CUST_TYPE, ACTIVE_FLAG, CREDIT_LIMIT, CREATED_DT, LAST_UPDATED
     FROM CUSTOMERS WHERE CUST_ID IN (1, 2)`,
  );
  legacy.close();
  const result = await reconcileFromSource({
    db: api.db,
    mapping: prepareMapping(await readFile(LEGACY_ACME_MAPPING_PATH, 'utf8'), LEGACY_ACME_MAPPING_PATH),
    sourceUrl: `sqlite:${acmeDb}`,
    tenantId: owner.tenantId,
    entities: ['customers'],
  });
  runId = result.runId;
}, 120_000);

afterAll(async () => {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('reconciliation runs', () => {
  it('are listed newest first and read with their discrepancies', async () => {
    const list = await owner.get('/reconciliations');
    expect(list.status, list.text).toBe(200);
    expect(list.json()).toMatchObject({
      items: [{ id: runId, status: 'completed', counts: { missing: 2, extra: 0, changed: 1 } }],
      nextCursor: null,
    });

    const read = await owner.get(`/reconciliations/${runId}?kind=changed`);
    expect(read.status, read.text).toBe(200);
    const body = read.json() as { run: { id: string }; discrepancies: { items: unknown[] } };
    expect(body.run.id).toBe(runId);
    expect(body.discrepancies.items).toEqual([
      expect.objectContaining({
        entity: 'customers',
        kind: 'changed',
        fields: [expect.objectContaining({ field: 'email', legacy: 'changed@example.com' })],
      }),
    ]);
  });

  it('page their discrepancies with opaque cursors', async () => {
    const first = await owner.get(`/reconciliations/${runId}?kind=missing&limit=1`);
    const page = first.json() as { discrepancies: { items: { id: string }[]; nextCursor: string } };
    expect(page.discrepancies.items).toHaveLength(1);
    const second = await owner.get(
      `/reconciliations/${runId}?kind=missing&limit=1&cursor=${page.discrepancies.nextCursor}`,
    );
    const next = second.json() as { discrepancies: { items: { id: string }[]; nextCursor: null } };
    expect(next.discrepancies.items).toHaveLength(1);
    expect(next.discrepancies.items[0]?.id).not.toBe(page.discrepancies.items[0]?.id);
    expect(next.discrepancies.nextCursor).toBeNull();

    const bad = await owner.get(`/reconciliations/${runId}?cursor=not-a-cursor`);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('cursor');
  });

  it('stream their reports as JSON, CSV and an escaped HTML page', async () => {
    const json = await owner.get(`/reconciliations/${runId}/report.json`);
    expect(json.status).toBe(200);
    expect(json.header('content-type')).toContain('application/json');
    const report = JSON.parse(json.text) as { run: { id: string }; discrepancies: { kind: string }[] };
    expect(report.run.id).toBe(runId);
    // The two dirty customers the migration quarantined are listed too, as not counted.
    expect(report.discrepancies.map((d) => d.kind).sort()).toEqual([
      'changed',
      'missing',
      'missing',
      'quarantined',
      'quarantined',
    ]);

    const csv = await owner.get(`/reconciliations/${runId}/report.csv`);
    expect(csv.header('content-type')).toContain('text/csv');
    expect(csv.text.trim().split('\n')).toHaveLength(1 + 5);

    const html = await owner.get(`/reconciliations/${runId}/report.html`);
    expect(html.header('content-type')).toContain('text/html');
    expect(html.text).toContain('changed@example.com');

    expect((await owner.get(`/reconciliations/${runId}/report.pdf`)).status).toBe(400);
  });

  it('belong to their tenant: another tenant gets 404, a viewer may read, a cashier may not', async () => {
    const stranger = api.newTenant();
    expect((await stranger.get(`/reconciliations/${runId}`)).status).toBe(404);
    expect((await stranger.get(`/reconciliations/${runId}/report.csv`)).status).toBe(404);
    expect((await stranger.get('/reconciliations')).json()).toEqual({ items: [], nextCursor: null });
    expect((await owner.as(['viewer']).get(`/reconciliations/${runId}`)).status).toBe(200);
    expect((await owner.as(['cashier']).get(`/reconciliations/${runId}`)).status).toBe(403);
  });
});
