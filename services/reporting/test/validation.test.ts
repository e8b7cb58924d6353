// Bad queries are a 400 problem naming the field and the rule; access needs a token with reports:read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectValidationProblem } from './support/expectations.ts';
import { startReportingApi, type ReportingApi } from './support/reporting-api.ts';
import { expectStatus, type Query, type TenantClient } from './support/tenant-client.ts';

let api: ReportingApi;
let t: TenantClient;

beforeAll(async () => {
  api = await startReportingApi();
  t = api.newTenant();
});

afterAll(async () => {
  await api.close();
});

const ROUTES = ['/reports/daily-sales', '/reports/daily-sales.csv'];

const BAD_QUERIES: readonly (readonly [name: string, query: Query, field: string, rule: string])[] = [
  ['from missing', { to: '2026-03-01' }, 'from', 'required'],
  ['to missing', { from: '2026-03-01' }, 'to', 'required'],
  ['from not a date', { from: '03/01/2026', to: '2026-03-31' }, 'from', 'format:date'],
  ['to not a real day', { from: '2026-02-01', to: '2026-02-30' }, 'to', 'format:date'],
  ['from with a time', { from: '2026-03-01T00:00:00Z', to: '2026-03-31' }, 'from', 'format:date'],
  ['to before from', { from: '2026-03-02', to: '2026-03-01' }, 'to', 'not_before_from'],
  ['367 days', { from: '2026-01-01', to: '2027-01-02' }, 'to', 'max_range'],
  ['not a currency', { from: '2026-03-01', to: '2026-03-31', currency: 'EURO' }, 'currency', 'currency'],
  [
    'a lower-case currency',
    { from: '2026-03-01', to: '2026-03-31', currency: 'eur' },
    'currency',
    'currency',
  ],
];

describe.each(ROUTES)('GET %s', (route) => {
  it.each(BAD_QUERIES)('%s is a 400 naming the field', async (_name, query, field, rule) => {
    expectValidationProblem(await t.get(route, query), { field, in: 'query', rule });
  });

  it('accepts a single day and a range of exactly 366 days', async () => {
    expect((await t.get(route, { from: '2026-03-01', to: '2026-03-01' })).status).toBe(200);
    expect((await t.get(route, { from: '2024-01-01', to: '2024-12-31' })).status).toBe(200);
    expect((await t.get(route, { from: '2026-01-01', to: '2027-01-01' })).status).toBe(200);
  });

  it('names every broken rule at once', async () => {
    const response = await t.get(route, { from: 'yesterday', currency: 'XXXX' });
    const problem = expectValidationProblem(response, { field: 'from', in: 'query' });
    expect(problem.errors?.map((e) => e.field).sort()).toEqual(['currency', 'from', 'to']);
  });
});

describe('access', () => {
  it('needs an access token: without one every report is 401', async () => {
    for (const url of ['/reports/kpis', '/reports/daily-sales', '/reports/daily-sales.csv']) {
      const response = await api.app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ code: 'platform.unauthenticated' });
    }
  });

  it('needs reports:read: a role without it is 403 naming the permission', async () => {
    const response = await api.newTenant(['cashier']).get('/reports/kpis');
    expect(response.status).toBe(403);
    expect(response.json()).toMatchObject({ code: 'platform.forbidden', permission: 'reports:read' });
  });
});

describe('what is not there', () => {
  it('has no POST routes: a POST is a 404 problem', async () => {
    const response = await api.app.inject({
      method: 'POST',
      url: '/reports/kpis',
    });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});

describe('the API description', () => {
  it('documents the three reports, the CSV one as text/csv', async () => {
    const response = await t.get('/docs/json');
    const doc = expectStatus<{
      paths: Record<string, { get?: { responses: Record<string, { content?: Record<string, unknown> }> } }>;
    }>(response, 200);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/reports/daily-sales', '/reports/daily-sales.csv', '/reports/kpis']),
    );
    expect(Object.keys(doc.paths['/reports/daily-sales.csv']?.get?.responses['200']?.content ?? {})).toEqual([
      'text/csv',
    ]);
  });
});
