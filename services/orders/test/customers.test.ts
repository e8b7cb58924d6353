// Customers API: create, read, change, soft delete, unique emails, search and pagination.
import { customerCreatedV1, customerUpdatedV1 } from '@only/contracts/orders';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerPageSchema, customerSchema, type Customer } from '../src/modules/customers/customers.dto.ts';
import { orderPageSchema } from '../src/modules/orders/orders.dto.ts';
import { aCustomerBody } from './support/builders.ts';
import { customerRow } from './support/db.ts';
import { aString, expectProblem, expectValidationProblem } from './support/expectations.ts';
import { startOrdersApi, type OrdersApi } from './support/orders-api.ts';
import { expectStatus, type TenantClient } from './support/tenant-client.ts';

let api: OrdersApi;

beforeAll(async () => {
  api = await startOrdersApi();
});

afterAll(async () => {
  await api.close();
});

/** Every customer of a tenant, page by page, checking the page size and where the walk ends. */
async function walkCustomers(t: TenantClient, limit: number, q?: string): Promise<Customer[][]> {
  const pages: Customer[][] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 50; guard++) {
    const page = customerPageSchema.parse(
      expectStatus(await t.get('/customers', { query: { limit, cursor, q } }), 200),
    );
    pages.push(page.items);
    if (page.nextCursor === null) return pages;
    expect(page.items).toHaveLength(limit);
    cursor = page.nextCursor;
  }
  throw new Error('pagination did not end');
}

describe('POST /customers', () => {
  it('creates a customer: 201, Location of the new resource, email trimmed and lowercased, row stored', async () => {
    const t = api.newTenant();
    api.clock.set('2026-02-01T09:30:00.000Z');

    const response = await t.post('/customers', {
      email: '  Ada.Lovelace@Example.COM ',
      name: '  Ada Lovelace ',
      phone: '+44 20 7946 0001',
    });

    expect(response.status).toBe(201);
    const customer = customerSchema.parse(response.json());
    expect(customer).toEqual({
      id: aString(/^cus_[0-9a-z]{26}$/),
      email: 'ada.lovelace@example.com',
      name: 'Ada Lovelace',
      phone: '+44 20 7946 0001',
      createdAt: '2026-02-01T09:30:00.000Z',
      updatedAt: '2026-02-01T09:30:00.000Z',
    });
    const location = response.header('location');
    expect(location).toBeDefined();
    expect(new URL(location ?? '', 'http://orders.test/customers').pathname).toBe(
      `/customers/${customer.id}`,
    );

    const row = await customerRow(api.db, customer.id);
    expect(row).toMatchObject({
      tenantId: t.tenantId,
      email: 'ada.lovelace@example.com',
      name: 'Ada Lovelace',
      phone: '+44 20 7946 0001',
      version: 1,
      deletedAt: null,
    });
    expect(row?.createdAt.toISOString()).toBe('2026-02-01T09:30:00.000Z');
  });

  it('accepts a customer without phone (stored as null)', async () => {
    const t = api.newTenant();
    const body = aCustomerBody();
    delete body.phone;
    const customer = customerSchema.parse(expectStatus(await t.post('/customers', body), 201));
    expect(customer.phone).toBeNull();
    expect((await customerRow(api.db, customer.id))?.phone).toBeNull();
  });

  it('rejects an email already used by a live customer with 409 naming email, whatever its case', async () => {
    const t = api.newTenant();
    await t.createCustomer({ email: 'grace@example.com' });
    const before = await t.counts();

    for (const email of ['grace@example.com', 'GRACE@Example.com', ' Grace@EXAMPLE.com ']) {
      const problem = expectProblem(
        await t.post('/customers', aCustomerBody({ email })),
        409,
        'orders.customer_email_taken',
      );
      expect(problem).toMatchObject({ field: 'email' });
    }

    expect(await t.counts()).toEqual(before);
    expect(await t.events(customerCreatedV1.type)).toHaveLength(1);
  });

  it('lets only one of two concurrent creates with the same email succeed (409, not 500, for the other)', async () => {
    const t = api.newTenant();

    const responses = await Promise.all([
      t.post('/customers', aCustomerBody({ email: 'race@example.com' })),
      t.post('/customers', aCustomerBody({ email: 'RACE@example.com' })),
    ]);

    expect(responses.map((r) => r.status).sort()).toEqual([201, 409]);
    const loser = responses.find((r) => r.status === 409);
    expect(loser && expectProblem(loser, 409, 'orders.customer_email_taken')).toMatchObject({
      field: 'email',
    });
    expect((await t.counts()).customers).toBe(1);
    expect(await t.events(customerCreatedV1.type)).toHaveLength(1);
  });

  it("lets a deleted customer's email be used again", async () => {
    const t = api.newTenant();
    const first = await t.createCustomer({ email: 'alan@example.com' });
    expect((await t.delete(`/customers/${first.id}`)).status).toBe(204);

    const again = customerSchema.parse(
      expectStatus(await t.post('/customers', aCustomerBody({ email: 'Alan@Example.com' })), 201),
    );

    expect(again.id).not.toBe(first.id);
    expect(again.email).toBe('alan@example.com');
    expect((await t.counts()).customers).toBe(2);
  });
});

describe('GET /customers/:id', () => {
  it('returns the customer as created', async () => {
    const t = api.newTenant();
    const created = await t.createCustomer({ name: 'Katherine Johnson', phone: null });

    const response = await t.get(`/customers/${created.id}`);

    expect(response.status).toBe(200);
    expect(response.json()).toEqual(created);
  });

  it('is a 404 for an id that does not exist', async () => {
    const t = api.newTenant();
    expectProblem(await t.get('/customers/cus_01jd5x3b2kf9v8s7w6q4r2m1n0'), 404, 'orders.customer_not_found');
  });
});

describe('PATCH /customers/:id', () => {
  it('changes only the fields given, stamps updatedAt and emits one event naming them', async () => {
    const t = api.newTenant();
    api.clock.set('2026-02-02T08:00:00.000Z');
    const created = await t.createCustomer({
      email: 'edsger@example.com',
      name: 'E. Dijkstra',
      phone: '+31 20 555 0105',
    });
    api.clock.set('2026-02-03T12:00:00.000Z');

    const response = await t.patch(`/customers/${created.id}`, { name: 'Edsger Dijkstra' });

    expect(response.status).toBe(200);
    const updated = customerSchema.parse(response.json());
    expect(updated).toEqual({
      ...created,
      name: 'Edsger Dijkstra',
      updatedAt: '2026-02-03T12:00:00.000Z',
    });
    expect(await t.getCustomer(created.id)).toEqual(updated);
    expect(await customerRow(api.db, created.id)).toMatchObject({
      name: 'Edsger Dijkstra',
      email: 'edsger@example.com',
      phone: '+31 20 555 0105',
      version: 2,
    });
    const events = await t.events(customerUpdatedV1.type);
    expect(events).toHaveLength(1);
    expect(customerUpdatedV1.schema.parse(events[0]?.data)).toEqual({ customer: updated, changed: ['name'] });
  });

  it('changes several fields at once, lowercases the email and clears the phone with null', async () => {
    const t = api.newTenant();
    const created = await t.createCustomer({ phone: '+1 202 555 0102' });

    const updated = customerSchema.parse(
      expectStatus(
        await t.patch(`/customers/${created.id}`, { email: 'New.Address@Example.com', phone: null }),
        200,
      ),
    );

    expect(updated).toMatchObject({ name: created.name, email: 'new.address@example.com', phone: null });
    const [event] = await t.events(customerUpdatedV1.type);
    expect(customerUpdatedV1.schema.parse(event?.data).changed).toEqual(['email', 'phone']);
  });

  it('is a no-op when nothing differs: 200 with the unchanged customer, no write, no event', async () => {
    const t = api.newTenant();
    const created = await t.createCustomer({
      email: 'barbara@example.com',
      name: 'Barbara Liskov',
      phone: null,
    });
    api.clock.advance(60_000);

    const response = await t.patch(`/customers/${created.id}`, {
      email: 'BARBARA@example.com',
      name: ' Barbara Liskov ',
      phone: null,
    });

    expect(response.status).toBe(200);
    expect(response.json()).toEqual(created);
    expect((await customerRow(api.db, created.id))?.version).toBe(1);
    expect(await t.events(customerUpdatedV1.type)).toEqual([]);
  });

  it('rejects the email of another live customer with 409 naming email and changes nothing', async () => {
    const t = api.newTenant();
    await t.createCustomer({ email: 'taken@example.com' });
    const other = await t.createCustomer({ email: 'mine@example.com' });

    const problem = expectProblem(
      await t.patch(`/customers/${other.id}`, { email: 'Taken@example.com', name: 'Renamed' }),
      409,
      'orders.customer_email_taken',
    );

    expect(problem).toMatchObject({ field: 'email' });
    expect(await t.getCustomer(other.id)).toEqual(other);
    expect(await t.events(customerUpdatedV1.type)).toEqual([]);
  });

  it('takes over the email of a deleted customer', async () => {
    const t = api.newTenant();
    const gone = await t.createCustomer({ email: 'shared@example.com' });
    await t.delete(`/customers/${gone.id}`);
    const other = await t.createCustomer();

    const updated = customerSchema.parse(
      expectStatus(await t.patch(`/customers/${other.id}`, { email: 'shared@example.com' }), 200),
    );

    expect(updated.email).toBe('shared@example.com');
  });

  it('is a 404 for an unknown or deleted customer', async () => {
    const t = api.newTenant();
    const gone = await t.createCustomer();
    await t.delete(`/customers/${gone.id}`);

    expectProblem(
      await t.patch('/customers/cus_01jd5x3b2kf9v8s7w6q4r2m1n0', { name: 'X' }),
      404,
      'orders.customer_not_found',
    );
    expectProblem(await t.patch(`/customers/${gone.id}`, { name: 'X' }), 404, 'orders.customer_not_found');
  });

  it('needs at least one field', async () => {
    const t = api.newTenant();
    const created = await t.createCustomer();
    expectValidationProblem(await t.patch(`/customers/${created.id}`, {}), {
      field: '(root)',
      in: 'body',
      rule: 'not_empty',
    });
  });
});

describe('DELETE /customers/:id', () => {
  it('soft-deletes: 204, then 404 on reads and changes, the row stays with deleted_at, orders stay readable', async () => {
    const t = api.newTenant();
    const customer = await t.createCustomer();
    const order = await t.placeOrder(customer.id);
    api.clock.set('2026-02-10T16:45:00.000Z');

    const response = await t.delete(`/customers/${customer.id}`);

    expect(response.status).toBe(204);
    expect(response.text).toBe('');
    expectProblem(await t.get(`/customers/${customer.id}`), 404, 'orders.customer_not_found');
    expectProblem(
      await t.patch(`/customers/${customer.id}`, { name: 'Back' }),
      404,
      'orders.customer_not_found',
    );
    expectProblem(await t.delete(`/customers/${customer.id}`), 404, 'orders.customer_not_found');

    const row = await customerRow(api.db, customer.id);
    expect(row).toMatchObject({ id: customer.id, email: customer.email, version: 2 });
    expect(row?.deletedAt?.toISOString()).toBe('2026-02-10T16:45:00.000Z');

    const list = customerPageSchema.parse(expectStatus(await t.get('/customers'), 200));
    expect(list.items).toEqual([]);

    expect(await t.getOrder(order.id)).toEqual(order);
    const orders = orderPageSchema.parse(
      expectStatus(await t.get('/orders', { query: { customerId: customer.id } }), 200),
    );
    expect(orders.items.map((o) => o.id)).toEqual([order.id]);
  });
});

describe('GET /customers', () => {
  it('finds a text in the name or the email, case-insensitively', async () => {
    const t = api.newTenant();
    const ada = await t.createCustomer({ name: 'Ada Lovelace', email: 'countess@example.com' });
    const grace = await t.createCustomer({ name: 'Grace Hopper', email: 'ADA.fan@example.com' });
    await t.createCustomer({ name: 'Alan Turing', email: 'alan@example.com' });

    const byBoth = customerPageSchema.parse(
      expectStatus(await t.get('/customers', { query: { q: 'aDa' } }), 200),
    );
    expect(byBoth.items.map((c) => c.id)).toEqual([grace.id, ada.id]);

    const byEmail = customerPageSchema.parse(
      expectStatus(await t.get('/customers', { query: { q: 'COUNTESS@' } }), 200),
    );
    expect(byEmail.items.map((c) => c.id)).toEqual([ada.id]);

    const none = customerPageSchema.parse(
      expectStatus(await t.get('/customers', { query: { q: 'hamilton' } }), 200),
    );
    expect(none).toEqual({ items: [], nextCursor: null });
  });

  it('matches % and _ in the text literally, not as LIKE wildcards', async () => {
    const t = api.newTenant();
    const percent = await t.createCustomer({ name: '100% Arabica Ltd' });
    const underscore = await t.createCustomer({ name: 'Plain', email: 'first_last@example.com' });
    await t.createCustomer({ name: '1000 Arabica Ltd', email: 'firstxlast@example.com' });
    const backslash = await t.createCustomer({ name: 'Back\\slash' });

    const search = async (q: string) =>
      customerPageSchema
        .parse(expectStatus(await t.get('/customers', { query: { q } }), 200))
        .items.map((c) => c.id);

    expect(await search('%')).toEqual([percent.id]);
    expect(await search('0% a')).toEqual([percent.id]);
    expect(await search('t_l')).toEqual([underscore.id]);
    expect(await search('_')).toEqual([underscore.id]);
    expect(await search('k\\s')).toEqual([backslash.id]);
  });

  it('walks every customer exactly once, newest first, in pages of 2 ending with nextCursor null', async () => {
    const t = api.newTenant();
    const created: Customer[] = [];
    for (let i = 0; i < 5; i++) created.push(await t.createCustomer());

    const pages = await walkCustomers(t, 2);

    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(pages.flat().map((c) => c.id)).toEqual(created.map((c) => c.id).reverse());
    expect(pages.flat()).toEqual([...created].reverse());
  });

  it('returns 20 customers per page by default', async () => {
    const t = api.newTenant();
    for (let i = 0; i < 21; i++) await t.createCustomer();

    const first = customerPageSchema.parse(expectStatus(await t.get('/customers'), 200));
    const rest = customerPageSchema.parse(
      expectStatus(await t.get('/customers', { query: { cursor: first.nextCursor ?? undefined } }), 200),
    );

    expect([first.items.length, rest.items.length, rest.nextCursor]).toEqual([20, 1, null]);
  });

  it('ends with nextCursor null when the last page is exactly full', async () => {
    const t = api.newTenant();
    for (let i = 0; i < 4; i++) await t.createCustomer();

    const pages = await walkCustomers(t, 2);

    expect(pages.map((p) => p.length)).toEqual([2, 2]);
  });

  it('paginates a text search', async () => {
    const t = api.newTenant();
    const matching: Customer[] = [];
    for (let i = 0; i < 3; i++) {
      matching.push(await t.createCustomer({ name: `Roaster ${i}` }));
      await t.createCustomer({ name: `Barista ${i}` });
    }

    const pages = await walkCustomers(t, 2, 'roaster');

    expect(pages.flat().map((c) => c.id)).toEqual(matching.map((c) => c.id).reverse());
  });

  it('leaves out deleted customers', async () => {
    const t = api.newTenant();
    const kept = await t.createCustomer();
    const gone = await t.createCustomer();
    await t.delete(`/customers/${gone.id}`);

    const page = customerPageSchema.parse(expectStatus(await t.get('/customers'), 200));

    expect(page.items.map((c) => c.id)).toEqual([kept.id]);
  });

  it('rejects a cursor it did not issue with 400 naming cursor', async () => {
    const t = api.newTenant();
    for (const cursor of [
      'not-a-cursor',
      Buffer.from('{"id":').toString('base64url'),
      Buffer.from('{"id":42}').toString('base64url'),
      Buffer.from('[]').toString('base64url'),
    ]) {
      expectValidationProblem(await t.get('/customers', { query: { cursor } }), {
        field: 'cursor',
        in: 'query',
        rule: 'cursor',
      });
    }
  });
});
