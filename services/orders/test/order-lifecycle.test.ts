// The order state machine through the API: every legal transition, every illegal one, reasons and
// the status history.
import { orderCancelledV1, orderStatusChangedV1, type OrderStatus } from '@only/contracts/orders';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORDER_ACTIONS, type OrderAction } from '../src/modules/orders/order-state-machine.ts';
import { historySchema, orderSchema } from '../src/modules/orders/orders.dto.ts';
import { historyRows, orderRow } from './support/db.ts';
import { aString, expectProblem, expectValidationProblem } from './support/expectations.ts';
import { startOrdersApi, type OrdersApi } from './support/orders-api.ts';
import { actionPath, expectStatus } from './support/tenant-client.ts';

let api: OrdersApi;

beforeAll(async () => {
  api = await startOrdersApi();
});

afterAll(async () => {
  await api.close();
});

const STATUSES: readonly OrderStatus[] = ['pending', 'confirmed', 'fulfilled', 'completed', 'cancelled'];

interface Legal {
  readonly from: OrderStatus;
  readonly action: OrderAction;
  readonly to: OrderStatus;
  readonly allowed: readonly OrderAction[];
}

const LEGAL: readonly Legal[] = [
  { from: 'pending', action: 'confirm', to: 'confirmed', allowed: ['fulfill', 'cancel'] },
  { from: 'confirmed', action: 'fulfill', to: 'fulfilled', allowed: ['complete'] },
  { from: 'fulfilled', action: 'complete', to: 'completed', allowed: [] },
  { from: 'pending', action: 'cancel', to: 'cancelled', allowed: [] },
  { from: 'confirmed', action: 'cancel', to: 'cancelled', allowed: [] },
];

const ALLOWED_IN: Readonly<Record<OrderStatus, readonly OrderAction[]>> = {
  pending: ['confirm', 'cancel'],
  confirmed: ['fulfill', 'cancel'],
  fulfilled: ['complete'],
  completed: [],
  cancelled: [],
};

const ILLEGAL = STATUSES.flatMap((from) =>
  ORDER_ACTIONS.filter((action) => !LEGAL.some((l) => l.from === from && l.action === action)).map(
    (action) => ({
      from,
      action,
    }),
  ),
);

/** The body an action is sent with: cancel always needs a reason. */
const bodyFor = (action: OrderAction) => (action === 'cancel' ? { reason: 'No longer needed' } : undefined);

describe('legal transitions', () => {
  it.each(LEGAL)(
    '$action from $from → 200, $to, with allowedActions, history and one event',
    async (legal) => {
      const t = api.newTenant();
      const before = await t.orderIn(legal.from);
      const eventsBefore = (await t.events()).length;
      api.clock.set('2026-04-01T12:00:00.000Z');

      const response = await t.post(actionPath(before.id, legal.action), bodyFor(legal.action), {
        userId: 'clerk-7',
      });

      expect(response.status).toBe(200);
      const order = orderSchema.parse(response.json());
      expect(order).toEqual({
        ...before,
        status: legal.to,
        allowedActions: legal.allowed,
        version: before.version + 1,
        updatedAt: '2026-04-01T12:00:00.000Z',
        history: [
          ...before.history,
          {
            id: aString(/^osh_/),
            from: legal.from,
            to: legal.to,
            actor: { type: 'user', id: 'clerk-7' },
            reason: legal.action === 'cancel' ? 'No longer needed' : null,
            at: '2026-04-01T12:00:00.000Z',
          },
        ],
      });
      expect(await t.getOrder(before.id)).toEqual(order);
      expect(await orderRow(api.db, before.id)).toMatchObject({
        status: legal.to,
        version: before.version + 1,
      });

      const events = (await t.events()).slice(eventsBefore);
      expect(events.map((e) => [e.type, e.aggregateId])).toEqual([
        [legal.to === 'cancelled' ? orderCancelledV1.type : orderStatusChangedV1.type, before.id],
      ]);
    },
  );

  it('allows confirm and cancel on a new order', async () => {
    const t = api.newTenant();
    expect((await t.placeOrder()).allowedActions).toEqual(['confirm', 'cancel']);
  });
});

describe('illegal transitions', () => {
  it.each(ILLEGAL)(
    '$action from $from → 409 naming currentState and action; nothing changes',
    async ({ from, action }) => {
      const t = api.newTenant();
      const order = await t.orderIn(from);
      const rowBefore = await orderRow(api.db, order.id);
      const historyBefore = await historyRows(api.db, order.id);
      const countsBefore = await t.counts();
      const eventsBefore = await t.events();
      api.clock.advance(3_600_000);

      const problem = expectProblem(
        await t.post(actionPath(order.id, action), bodyFor(action), { userId: 'clerk-9' }),
        409,
        'orders.invalid_transition',
      );

      expect(problem).toMatchObject({ currentState: from, action, allowedActions: ALLOWED_IN[from] });
      expect(problem.detail).toContain(from);
      expect(problem.detail).toContain(action);
      expect(await orderRow(api.db, order.id)).toEqual(rowBefore);
      expect(await historyRows(api.db, order.id)).toEqual(historyBefore);
      expect(await t.getOrder(order.id)).toEqual(order);
      expect(await t.counts()).toEqual(countsBefore);
      expect(await t.events()).toEqual(eventsBefore);
    },
  );

  it('covers every (state, action) pair that is not a legal transition', () => {
    expect(ILLEGAL).toHaveLength(STATUSES.length * ORDER_ACTIONS.length - LEGAL.length);
  });

  it('lets only one of two concurrent confirmations succeed', async () => {
    const t = api.newTenant();
    const order = await t.placeOrder();

    const responses = await Promise.all([
      t.post(actionPath(order.id, 'confirm')),
      t.post(actionPath(order.id, 'confirm')),
    ]);

    expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
    expect((await historyRows(api.db, order.id)).map((h) => h.toStatus)).toEqual(['pending', 'confirmed']);
    expect(await t.events(orderStatusChangedV1.type)).toHaveLength(1);
  });
});

describe('reasons', () => {
  it('requires a reason to cancel: 400 naming reason, and the order stays as it was', async () => {
    const t = api.newTenant();
    const order = await t.placeOrder();
    const countsBefore = await t.counts();

    expectValidationProblem(await t.post(actionPath(order.id, 'cancel'), {}), {
      field: 'reason',
      in: 'body',
      rule: 'required',
    });
    expectValidationProblem(await t.post(actionPath(order.id, 'cancel'), { reason: '   ' }), {
      field: 'reason',
      in: 'body',
      rule: 'too_small',
    });
    expectValidationProblem(await t.post(actionPath(order.id, 'cancel'), { reason: 'x'.repeat(501) }), {
      field: 'reason',
      in: 'body',
      rule: 'too_big',
    });
    // Without any body at all, the problem still names the missing reason.
    expectValidationProblem(await t.post(actionPath(order.id, 'cancel')), {
      field: 'reason',
      in: 'body',
      rule: 'required',
    });

    expect(await t.getOrder(order.id)).toEqual(order);
    expect(await t.counts()).toEqual(countsBefore);
    expect(await t.events(orderCancelledV1.type)).toEqual([]);
  });

  it('keeps an optional reason of a forward action, trimmed', async () => {
    const t = api.newTenant();
    const order = await t.placeOrder();

    const confirmed = orderSchema.parse(
      expectStatus(await t.post(actionPath(order.id, 'confirm'), { reason: '  Payment received ' }), 200),
    );

    expect(confirmed.history.at(-1)?.reason).toBe('Payment received');
  });

  it('accepts a forward action with an empty JSON object as body', async () => {
    const t = api.newTenant();
    const order = await t.placeOrder();
    const confirmed = orderSchema.parse(expectStatus(await t.post(actionPath(order.id, 'confirm'), {}), 200));
    expect(confirmed.history.at(-1)?.reason).toBeNull();
  });
});

describe('status history', () => {
  it('records from, to, actor, reason and time of every change, in order', async () => {
    const t = api.newTenant();
    api.clock.set('2026-05-01T09:00:00.000Z');
    const placed = await t.placeOrder(undefined, {}, { userId: 'shop-web' });
    api.clock.set('2026-05-01T09:05:00.000Z');
    await t.act(placed.id, 'confirm', 'Payment authorized', { userId: 'alice' });
    api.clock.set('2026-05-02T14:30:00.000Z');
    await t.act(placed.id, 'fulfill', undefined, { userId: 'bob@warehouse' });
    api.clock.set('2026-05-04T08:00:00.000Z');
    const completed = await t.act(placed.id, 'complete');

    const expected = [
      {
        from: null,
        to: 'pending',
        actor: { type: 'user', id: 'shop-web' },
        reason: null,
        at: '2026-05-01T09:00:00.000Z',
      },
      {
        from: 'pending',
        to: 'confirmed',
        actor: { type: 'user', id: 'alice' },
        reason: 'Payment authorized',
        at: '2026-05-01T09:05:00.000Z',
      },
      {
        from: 'confirmed',
        to: 'fulfilled',
        actor: { type: 'user', id: 'bob@warehouse' },
        reason: null,
        at: '2026-05-02T14:30:00.000Z',
      },
      {
        from: 'fulfilled',
        to: 'completed',
        actor: { type: 'user', id: 'usr_test' },
        reason: null,
        at: '2026-05-04T08:00:00.000Z',
      },
    ];
    const withoutIds = (items: readonly { id: string }[]) => items.map(({ id: _id, ...rest }) => rest);

    expect(withoutIds(completed.history)).toEqual(expected);
    expect(completed).toMatchObject({
      status: 'completed',
      placedAt: '2026-05-01T09:00:00.000Z',
      updatedAt: '2026-05-04T08:00:00.000Z',
      version: 4,
    });
    const history = historySchema.parse(expectStatus(await t.get(`/orders/${placed.id}/history`), 200));
    expect(history.items).toEqual(completed.history);
    expect(new Set(history.items.map((h) => h.id)).size).toBe(4);
  });

  it('records a cancellation with its reason', async () => {
    const t = api.newTenant();
    const order = await t.orderIn('confirmed');

    const cancelled = await t.act(order.id, 'cancel', 'Customer changed their mind', { userId: 'support-1' });

    expect(cancelled.history.at(-1)).toMatchObject({
      from: 'confirmed',
      to: 'cancelled',
      actor: { type: 'user', id: 'support-1' },
      reason: 'Customer changed their mind',
    });
  });
});
