// Who may do what with migration runs, what another tenant sees of them (nothing: 404), and how
// bad requests are answered: problem documents naming the field and the rule, nothing started.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { LEGACY_ACME_MAPPING_PATH, loadLegacyAcme } from '@only/example-legacy-acme';
import { problemSchema } from '@only/platform/errors';
import { queryRows } from '@only/platform/db';
import { newId } from '@only/platform/ids';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Run } from '../src/modules/runs/runs.dto.ts';
import {
  startMigrationApi,
  type ApiResponse,
  type MigrationApi,
  type MigrationClient,
} from './support/migration-api.ts';

const SCALE = 12;
const dir = mkdtempSync(join(tmpdir(), 'only-migration-access-'));
const acmeDb = join(dir, 'acme.db');
const RUN = { mappingFile: 'mapping.yaml', source: 'acme-legacy' } as const;
const OTHER_TENANT = newId('ten');
const PASSWORD = 'pa55-never-shown';
let api: MigrationApi;

beforeAll(async () => {
  await loadLegacyAcme({ target: `sqlite:${acmeDb}`, scale: SCALE });
  api = await startMigrationApi({
    sources: [
      { name: 'acme-legacy', url: `sqlite:${acmeDb}` },
      { name: 'someone-elses', url: `sqlite:${acmeDb}`, tenants: [OTHER_TENANT] },
      // Nothing listens on port 1: the connection is refused at once.
      { name: 'unreachable', url: `mysql://legacy:${PASSWORD}@127.0.0.1:1/acme` },
    ],
    mappingsDir: dirname(LEGACY_ACME_MAPPING_PATH),
  });
}, 60_000);

afterAll(async () => {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

function expectProblem(response: ApiResponse, status: number, code: string) {
  expect({ status: response.status, body: response.text }).toMatchObject({ status });
  expect(response.header('content-type')).toMatch(/^application\/problem\+json/);
  const problem = problemSchema.parse(response.json());
  expect(problem).toMatchObject({ status, code });
  return problem;
}

function expectViolation(response: ApiResponse, violation: { field: string; in: string; rule?: string }) {
  const problem = expectProblem(response, 400, 'platform.validation_failed');
  expect(problem.errors).toEqual(expect.arrayContaining([expect.objectContaining(violation)]));
}

async function runToEnd(client: MigrationClient, body: Record<string, unknown>): Promise<Run> {
  const started = await client.post('/runs', body);
  expect(started.status, started.text).toBe(202);
  const run = started.run();
  await (await client.events(run.id)).untilEnded();
  return (await client.get(`/runs/${run.id}`)).run();
}

describe('permissions', () => {
  let owner: MigrationClient;
  let run: Run;

  beforeAll(async () => {
    owner = api.newTenant();
    run = await runToEnd(owner, RUN);
  });

  it('a viewer reads runs and the quarantine, and cannot start, stop or see the sources', async () => {
    const viewer = owner.as(['viewer']);
    expect((await viewer.get('/runs')).status).toBe(200);
    expect((await viewer.get(`/runs/${run.id}`)).status).toBe(200);
    expect((await viewer.get(`/quarantine?runId=${run.id}`)).status).toBe(200);
    const events = await viewer.events(run.id);
    await events.untilEnded();
    expect(events.status).toBe(200);
    for (const [method, url] of [
      ['POST', '/runs'],
      ['POST', `/runs/${run.id}/stop`],
      ['GET', '/sources'],
    ] as const) {
      const response = await viewer.request(method, url, method === 'POST' ? RUN : undefined);
      expect(expectProblem(response, 403, 'platform.forbidden')).toMatchObject({
        permission: 'migration:run',
      });
    }
    expect(await api.count('migration.runs', owner.tenantId)).toBe(1);
  });

  it('a manager reads but does not run; a cashier does neither; an admin runs', async () => {
    const manager = owner.as(['manager']);
    expect((await manager.get(`/runs/${run.id}`)).status).toBe(200);
    expectProblem(await manager.post('/runs', RUN), 403, 'platform.forbidden');
    const cashier = owner.as(['cashier']);
    expect(expectProblem(await cashier.get('/runs'), 403, 'platform.forbidden')).toMatchObject({
      permission: 'migration:read',
    });
    expectProblem(await cashier.get('/quarantine'), 403, 'platform.forbidden');
    const admin = owner.as(['admin']);
    const started = await admin.post('/runs', { ...RUN, dryRun: true });
    expect(started.status, started.text).toBe(202);
    await (await admin.events(started.run().id)).untilEnded();
  });

  it('answers 401 without a token', async () => {
    for (const url of ['/runs', `/runs/${run.id}`, '/quarantine', '/sources']) {
      const response = await api.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(401);
    }
    const response = await api.app.inject({ method: 'POST', url: '/runs', payload: RUN });
    expect(response.statusCode).toBe(401);
  });
});

describe("another tenant's runs", () => {
  it('are 404 on every route that takes a run id, and nothing changes', async () => {
    const owner = api.newTenant();
    const done = await runToEnd(owner, RUN);
    const dry = await runToEnd(owner, { ...RUN, dryRun: true });
    // A run of the owner that is running (in another process, as far as this one knows).
    const running = newId('mrun');
    await queryRows(
      api.db,
      sql`insert into migration.runs (id, tenant_id, mapping_name, mapping_hash, source_url, status)
        values (${running}, ${owner.tenantId}, 'mapping.yaml', 'h', 'sqlite:x.db', 'running')`,
    );
    const intruder = api.newTenant();
    for (const id of [done.id, dry.id, running]) {
      expectProblem(await intruder.get(`/runs/${id}`), 404, 'migration.run_not_found');
      expectProblem(await intruder.post(`/runs/${id}/stop`), 404, 'migration.run_not_found');
      expectProblem(await intruder.get(`/quarantine?runId=${id}`), 404, 'migration.run_not_found');
      const events = await intruder.events(id);
      await events.untilEnded();
      expect(events.status).toBe(404);
      expect(JSON.parse(events.body)).toMatchObject({ code: 'migration.run_not_found' });
    }
    expect((await intruder.get('/runs')).json()).toEqual({ items: [], nextCursor: null });
    expect((await intruder.get('/quarantine')).json()).toEqual({ items: [], nextCursor: null });
    expect((await owner.get(`/runs/${running}`)).json()).toMatchObject({ status: 'running' });
    expect((await owner.get(`/runs/${done.id}`)).json()).toEqual(done);
  });

  it('sources kept to other tenants are neither listed nor usable', async () => {
    const client = api.newTenant();
    const names = (await client.get('/sources')).sources().items.map((s) => s.name);
    expect(names).toEqual(['acme-legacy', 'unreachable']);
    const problem = expectProblem(
      await client.post('/runs', { ...RUN, source: 'someone-elses' }),
      422,
      'migration.unknown_source',
    );
    expect(problem).toMatchObject({ field: 'source' });
  });
});

describe('bad requests', () => {
  let client: MigrationClient;

  beforeAll(() => {
    client = api.newTenant();
  });

  it('name the field and the rule (400), and start nothing', async () => {
    const cases: [Record<string, unknown>, { field: string; rule?: string }][] = [
      [{}, { field: 'mapping', rule: 'exactly_one' }],
      [{ source: 'acme-legacy' }, { field: 'mapping', rule: 'exactly_one' }],
      [
        { ...RUN, mapping: 'version: 1' },
        { field: 'mapping', rule: 'exactly_one' },
      ],
      [{ mappingFile: 'mapping.yaml' }, { field: 'source', rule: 'exactly_one' }],
      [
        { ...RUN, sourceUrl: `sqlite:${acmeDb}` },
        { field: 'source', rule: 'exactly_one' },
      ],
      [{ mappingFile: '../../etc/passwd.yaml', source: 'acme-legacy' }, { field: 'mappingFile' }],
      [{ mappingFile: 'mapping.json', source: 'acme-legacy' }, { field: 'mappingFile' }],
      [
        { ...RUN, mappingName: 'x.yaml' },
        { field: 'mappingName', rule: 'only_with_mapping' },
      ],
      [
        { mappingFile: 'mapping.yaml', sourceUrl: 'ftp://legacy/acme' },
        { field: 'sourceUrl', rule: 'source_url' },
      ],
      [
        { ...RUN, batchSize: 0 },
        { field: 'batchSize', rule: 'too_small' },
      ],
      [{ ...RUN, batchSize: 2.5 }, { field: 'batchSize' }],
      [
        { ...RUN, dryRun: true, resume: true },
        { field: 'resume', rule: 'not_with_dry_run' },
      ],
      [
        { ...RUN, tenant: 'acme' },
        { field: 'tenant', rule: 'unknown_field' },
      ],
    ];
    for (const [body, violation] of cases) {
      const response = await client.post('/runs', body);
      expectViolation(response, { ...violation, in: 'body' });
    }
    expectViolation(await client.get('/runs/not-a-run'), { field: 'id', in: 'params', rule: 'id' });
    expectViolation(await client.get('/runs?status=paused'), { field: 'status', in: 'query' });
    expectViolation(await client.get('/runs?limit=0'), { field: 'limit', in: 'query' });
    expectViolation(await client.get('/runs?cursor=bm9wZQ'), {
      field: 'cursor',
      in: 'query',
      rule: 'cursor',
    });
    expectViolation(await client.get('/quarantine?runId=ord_01jd5x3b2kf9v8s7w6q4r2m1n0'), {
      field: 'runId',
      in: 'query',
    });
    expectViolation(await client.post('/runs/x/stop'), { field: 'id', in: 'params' });
    expect(await api.count('migration.runs', client.tenantId)).toBe(0);
  });

  it('are 422 when the source or mapping is not one the server has, or the mapping is wrong', async () => {
    expect(
      expectProblem(
        await client.post('/runs', { ...RUN, source: 'nowhere' }),
        422,
        'migration.unknown_source',
      ),
    ).toMatchObject({ field: 'source' });
    expect(
      expectProblem(
        await client.post('/runs', { mappingFile: 'mapping.yaml', sourceUrl: `sqlite:${acmeDb}` }),
        422,
        'migration.source_urls_disabled',
      ),
    ).toMatchObject({ field: 'sourceUrl' });
    expect(
      expectProblem(
        await client.post('/runs', { ...RUN, mappingFile: 'nope.yaml' }),
        422,
        'migration.unknown_mapping_file',
      ),
    ).toMatchObject({ field: 'mappingFile' });
    const mapping = [
      'version: 1',
      'tenant: acme',
      'entities:',
      '  customers:',
      '    target: orders.customers',
      '    table: CUSTOMERS',
      '    key: CUST_ID',
      '    fields:',
      '      name: { column: CUST_NAME, transform: [trimm] }',
    ].join('\n');
    const problem = expectProblem(
      await client.post('/runs', { mapping, source: 'acme-legacy' }),
      422,
      'migration.invalid_mapping',
    );
    expect(problem).toMatchObject({
      field: 'mapping',
      mappingErrors: [
        {
          line: 9,
          column: expect.any(Number) as unknown,
          path: 'entities.customers.fields.name.transform[0]',
          message: expect.stringContaining('trim') as unknown,
        },
      ],
    });
    expect(await api.count('migration.runs', client.tenantId)).toBe(0);
  });

  it('is a 502 without the password when the source cannot be reached', async () => {
    const response = await client.post('/runs', { ...RUN, source: 'unreachable' });
    expectProblem(response, 502, 'migration.source_unavailable');
    expect(response.text).not.toContain(PASSWORD);
    expect(await api.count('migration.runs', client.tenantId)).toBe(0);
  });
});

describe('a server that takes source URLs and one run at a time', () => {
  let other: MigrationApi;

  beforeAll(async () => {
    other = await startMigrationApi({ allowSourceUrls: true, maxRuns: 1 });
  }, 60_000);

  afterAll(async () => {
    await other.close();
  });

  it('runs from a source URL and an inline mapping, refuses mapping files, and answers 503 when full', async () => {
    const client = other.newTenant();
    expectProblem(
      await client.post('/runs', { mappingFile: 'mapping.yaml', sourceUrl: `sqlite:${acmeDb}` }),
      422,
      'migration.mapping_files_disabled',
    );
    const { readFile } = await import('node:fs/promises');
    const mapping = await readFile(LEGACY_ACME_MAPPING_PATH, 'utf8');
    const started = await client.post('/runs', { mapping, sourceUrl: `sqlite:${acmeDb}`, batchSize: 1 });
    expect(started.status, started.text).toBe(202);
    const run = started.run();
    expect(run.source).toBe(`sqlite:${acmeDb}`);

    const full = await other
      .newTenant()
      .post('/runs', { mapping, sourceUrl: `sqlite:${acmeDb}`, dryRun: true });
    expectProblem(full, 503, 'migration.too_many_runs');
    expect(full.header('retry-after')).toBe('30');

    const stop = await client.post(`/runs/${run.id}/stop`);
    expect([200, 409]).toContain(stop.status);
    const events = await client.events(run.id);
    await events.untilEnded();
    const again = await client.post('/runs', { mapping, sourceUrl: `sqlite:${acmeDb}`, resume: true });
    expect(again.status, again.text).toBe(202);
    await (await client.events(run.id)).untilEnded();
    expect((await client.get(`/runs/${run.id}`)).json()).toMatchObject({ status: 'completed' });
  });
});
