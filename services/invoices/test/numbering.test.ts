// Gap-free numbering: numbers per tenant and series are consecutive with no gap and no duplicate,
// under concurrency and across rollbacks. On PGlite, and on real PostgreSQL — where the issuing
// transactions truly run in parallel — when DATABASE_URL is set (see @only/testing).
import { systemContext } from '@only/platform/context';
import { inTransaction, withTenantScope } from '@only/platform/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counterRows, creditNoteRows, invoiceRows } from './support/db.ts';
import { startInvoicesApi, type InvoicesApi } from './support/invoices-api.ts';
import { anOrder } from './support/orders.ts';
import { expectStatus } from './support/tenant-client.ts';

let api: InvoicesApi;

beforeAll(async () => {
  api = await startInvoicesApi();
});

afterAll(async () => {
  await api.close();
});

const sequenceOf = (number: string) => Number(number.slice(number.lastIndexOf('-') + 1));

describe(`invoice numbers (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('50 concurrent issues for one tenant get 1 to 50: no gap, no duplicate', async () => {
    const t = api.newTenant();
    const other = api.newTenant();
    const ctx = systemContext(t.tenantId, 'numbering');
    const orders = Array.from({ length: 50 }, () => anOrder());

    // Scoped like event handlers are (row-level security); another tenant issuing meanwhile has
    // its own series.
    const results = await Promise.all([
      ...orders.map((order) =>
        withTenantScope(t.tenantId, () => api.module.invoices.issueForOrder(ctx, order)),
      ),
      ...Array.from({ length: 5 }, () =>
        withTenantScope(other.tenantId, () =>
          api.module.invoices.issueForOrder(systemContext(other.tenantId, 'other'), anOrder()),
        ),
      ),
    ]);

    expect(results.every((result) => result.issued)).toBe(true);
    const numbers = (await invoiceRows(api.db, t.tenantId)).map((row) => row.number);
    expect(numbers).toHaveLength(50);
    expect(numbers.map(sequenceOf).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
    expect(new Set(numbers).size).toBe(50);
    expect(numbers.every((number) => /^INV-2026-\d{6}$/.test(number))).toBe(true);
    expect((await invoiceRows(api.db, other.tenantId)).map((row) => row.number)).toEqual([
      'INV-2026-000001',
      'INV-2026-000002',
      'INV-2026-000003',
      'INV-2026-000004',
      'INV-2026-000005',
    ]);
    expect(await counterRows(api.db, t.tenantId)).toEqual([
      { tenantId: t.tenantId, series: 'invoice', period: '2026', lastValue: 50 },
    ]);
  });

  it('the same order issued 10 times at once gets one invoice and uses one number', async () => {
    const t = api.newTenant();
    const ctx = systemContext(t.tenantId, 'same-order');
    const order = anOrder();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => api.module.invoices.issueForOrder(ctx, order)),
    );
    expect(results.filter((result) => result.issued)).toHaveLength(1);
    expect(new Set(results.map((result) => result.invoice.id)).size).toBe(1);
    await api.module.invoices.issueForOrder(ctx, anOrder());
    expect((await invoiceRows(api.db, t.tenantId)).map((row) => row.number)).toEqual([
      'INV-2026-000001',
      'INV-2026-000002',
    ]);
  });

  it('a rolled-back issue gives its number back: the next invoice takes it', async () => {
    const t = api.newTenant();
    const ctx = systemContext(t.tenantId, 'rollback');
    await api.module.invoices.issueForOrder(ctx, anOrder());
    await expect(
      inTransaction(api.db, async () => {
        const { invoice } = await api.module.invoices.issueForOrder(ctx, anOrder());
        expect(invoice.number).toBe('INV-2026-000002');
        throw new Error('something later in the same transaction failed');
      }),
    ).rejects.toThrow('something later');
    await api.module.invoices.issueForOrder(ctx, anOrder());
    expect((await invoiceRows(api.db, t.tenantId)).map((row) => row.number)).toEqual([
      'INV-2026-000001',
      'INV-2026-000002',
    ]);
  });

  it('credit notes count in their own series, CN-…, from 1', async () => {
    const t = api.newTenant();
    const ctx = systemContext(t.tenantId, 'credit-series');
    const first = await api.module.invoices.issueForOrder(ctx, anOrder());
    const second = await api.module.invoices.issueForOrder(ctx, anOrder());
    await Promise.all([
      api.module.creditNotes.creditByHand(ctx, first.invoice.id, { amount: 100, reason: 'Goodwill' }),
      api.module.creditNotes.creditByHand(ctx, second.invoice.id, { amount: 100, reason: 'Goodwill' }),
      api.module.creditNotes.creditByHand(ctx, first.invoice.id, { amount: 100, reason: 'Goodwill' }),
    ]);
    expect((await creditNoteRows(api.db, t.tenantId)).map((row) => row.number)).toEqual([
      'CN-2026-000001',
      'CN-2026-000002',
      'CN-2026-000003',
    ]);
    await api.module.invoices.issueForOrder(ctx, anOrder());
    expect((await invoiceRows(api.db, t.tenantId)).map((row) => row.number).at(-1)).toBe('INV-2026-000003');
  });

  it('restarts with the period the format shows, and carries on when the format changes within it', async () => {
    const t = api.newTenant();
    const ctx = systemContext(t.tenantId, 'periods');
    await api.module.invoices.issueForOrder(ctx, anOrder());
    expectStatus(await t.patch('/settings', { invoiceNumberFormat: 'R{YYYY}/{SEQ:3}' }), 200);
    await api.module.invoices.issueForOrder(ctx, anOrder());
    api.clock.set('2027-01-01T10:00:00.000Z');
    try {
      await api.module.invoices.issueForOrder(ctx, anOrder());
    } finally {
      api.clock.set('2026-03-02T10:00:00.000Z');
    }
    expect((await invoiceRows(api.db, t.tenantId)).map((row) => row.number)).toEqual([
      'INV-2026-000001',
      'R2026/002',
      'R2027/001',
    ]);
  });
});
