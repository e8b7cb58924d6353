import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { CatalogService } from '@only/contracts/rpc/catalog';
import { PaymentStatus, type PaymentsService } from '@only/contracts/rpc/payments';
import type { Clock } from '@only/platform/clock';
import { inTransaction, type Database } from '@only/platform/db';
import { isAppError, platformErrors, type AppError } from '@only/platform/errors';
import { newId } from '@only/platform/ids';
import type { CallContext, RpcClient } from '@only/platform/rpc';
import { ordersErrors } from '../../errors.ts';
import type { CustomersRepository } from '../customers/customers.repository.ts';
import { computeTotals } from '../orders/order-totals.ts';
import type { PlaceOrderInput, Order } from '../orders/orders.dto.ts';
import type { OrdersService } from '../orders/orders.service.ts';
import { priceFromCatalog, type TaxRates } from './catalog-pricing.ts';
import type { OrderSaga } from './order-saga.ts';
import { LeaseLost, type OrderSagaRepository, type SagaChanges } from './order-saga.repository.ts';
import type { OrderSagaRow, SagaFailure } from './order-saga.table.ts';
import { extension, isTransient, placementProblem, PROBLEMS } from './saga-support.ts';

/** The request's `Idempotency-Key` and the fingerprint of its body, when it sent a key. */
export interface PlacementRequest {
  readonly idempotencyKey?: string;
  readonly fingerprint: string;
}

/** A paid order placed, or the answer stored for its idempotency key. */
export interface PlacedOrder {
  readonly order: Order;
  readonly replayed: boolean;
}

/** A payment refusal in the order's words. */
function paymentFailure(error: AppError, fallbackReason: string): SagaFailure {
  return {
    status: 'payment_failed',
    reason: extension(error, 'declineReason') ?? fallbackReason,
    message: error.detail ?? error.title,
  };
}

/**
 * The synchronous part of the order saga, for `POST /orders` with a payment: price the lines
 * from the catalog, reserve the stock (reservation key: the order id), authorize the payment
 * (idempotency key derived from the order id), then record the order `confirmed` with
 * `orders.order.placed` in one transaction, and answer; capture and commit follow in the
 * background. A failure records the order in a failed status with its reason, gives back what
 * was taken, and answers with the problem naming it. The saga row is written before the first
 * call and before every later one (see {@link OrderSaga}).
 */
export class PaidPlacement {
  private readonly db: Database;
  private readonly saga: OrderSaga;
  private readonly sagas: OrderSagaRepository;
  private readonly orders: OrdersService;
  private readonly customers: CustomersRepository;
  private readonly catalog: RpcClient<typeof CatalogService>;
  private readonly payments: RpcClient<typeof PaymentsService>;
  private readonly clock: Clock;
  private readonly taxRates: TaxRates;

  constructor(deps: {
    db: Database;
    saga: OrderSaga;
    sagas: OrderSagaRepository;
    orders: OrdersService;
    customers: CustomersRepository;
    catalog: RpcClient<typeof CatalogService>;
    payments: RpcClient<typeof PaymentsService>;
    clock: Clock;
    taxRates: TaxRates;
  }) {
    this.db = deps.db;
    this.saga = deps.saga;
    this.sagas = deps.sagas;
    this.orders = deps.orders;
    this.customers = deps.customers;
    this.catalog = deps.catalog;
    this.payments = deps.payments;
    this.clock = deps.clock;
    this.taxRates = deps.taxRates;
  }

  /**
   * Places a paid order for the caller in `ctx` (whose token reserves and authorizes). The same
   * idempotency key and body answer with the same order — or the same problem — without reserving
   * or charging again.
   */
  async place(
    ctx: CallContext,
    input: PlaceOrderInput & { payment: { token: string } },
    request: PlacementRequest,
  ): Promise<PlacedOrder> {
    if (request.idempotencyKey !== undefined) {
      const earlier = await this.sagas.findByKey(ctx.tenantId, request.idempotencyKey);
      if (earlier !== undefined) return this.replay(ctx, earlier, request);
    }
    const customer = await this.customers.findLive(ctx.tenantId, input.customerId);
    if (!customer) {
      throw ordersErrors.unknown_customer(`No customer ${input.customerId} in this tenant`, {
        field: 'customerId',
      });
    }
    const draft = await priceFromCatalog(this.catalog, ctx, input, this.taxRates);
    const { grandTotal } = computeTotals(draft.lines).totals;
    if (grandTotal <= 0) {
      throw ordersErrors.nothing_to_pay('The order totals zero: take it without payment', {
        field: 'payment',
      });
    }

    const now = this.clock.now();
    const owner = this.saga.newOwner();
    const until = this.saga.leaseUntil();
    const inserted = await this.sagas.insert({
      orderId: newId('ord'),
      tenantId: ctx.tenantId,
      idempotencyKey: request.idempotencyKey ?? null,
      fingerprint: request.fingerprint,
      phase: 'placing',
      outcome: null,
      // Written before the reservation call: after a crash it may or may not have happened.
      reservation: 'reserving',
      payment: 'none',
      paymentId: null,
      paymentToken: input.payment.token,
      customerId: draft.customerId,
      currency: draft.currency,
      amount: grandTotal,
      draft: { ...draft, actor: ctx.actor },
      failure: null,
      cancelReason: null,
      correlationId: ctx.correlationId,
      attempts: 1,
      nextAttemptAt: until,
      leaseOwner: owner,
      leaseUntil: until,
      lastError: null,
      createdAt: now,
      updatedAt: now,
    });
    if (inserted === undefined) {
      // A concurrent request with the same key inserted first.
      const earlier = await this.sagas.findByKey(ctx.tenantId, request.idempotencyKey ?? '');
      if (earlier === undefined) throw new Error('an idempotency key conflicted with no saga');
      return this.replay(ctx, earlier, request);
    }
    try {
      return await this.forward(ctx, inserted, owner, input.payment.token);
    } catch (error) {
      if (!(error instanceof LeaseLost)) throw error;
      // This request stalled past its lease and recovery took the placement over (and fails it).
      throw placementProblem(
        inserted.orderId,
        {
          status: 'failed',
          reason: 'interrupted',
          message: 'The placement took too long and was abandoned.',
        },
        null,
      );
    }
  }

  private async forward(
    ctx: CallContext,
    inserted: OrderSagaRow,
    owner: string,
    paymentToken: string,
  ): Promise<PlacedOrder> {
    let saga = inserted;
    const { orderId } = saga;

    await this.saga.fault('before_reserve', orderId);
    const reserved = await this.attempt(() =>
      this.catalog.reserveStock(ctx, {
        reservationKey: orderId,
        lines: saga.draft.lines.map((line) => ({ sku: line.sku, quantity: line.quantity })),
        expiresAt: timestampFromDate(
          new Date(saga.createdAt.getTime() + this.saga.settings.reservationHoldMs),
        ),
      }),
    );
    await this.saga.fault('after_reserve', orderId);
    if ('error' in reserved) {
      const reserveError = reserved.error;
      if (reserveError.code === PROBLEMS.outOfStock) {
        const skus = reserveError.extensions.skus;
        return this.fail(
          ctx,
          saga,
          owner,
          {
            status: 'out_of_stock',
            reason: 'out_of_stock',
            message: reserveError.detail ?? reserveError.title,
            skus: Array.isArray(skus) ? skus.filter((sku): sku is string => typeof sku === 'string') : [],
          },
          { reservation: 'none' },
        );
      }
      // Unanswered, it may have reserved (released below); refused, it reserved nothing.
      const transient = isTransient(reserveError);
      return this.fail(
        ctx,
        saga,
        owner,
        {
          status: 'failed',
          reason: transient ? 'catalog_unavailable' : reserveError.code,
          message: reserveError.detail ?? reserveError.title,
        },
        transient ? {} : { reservation: 'none' },
      );
    }

    // Written before the authorization call, for the same reason.
    saga = await this.sagas.update(saga, owner, {
      reservation: 'reserved',
      payment: 'authorizing',
      updatedAt: this.clock.now(),
    });
    await this.saga.fault('before_authorize', orderId);
    const authorization = await this.attempt(() =>
      this.payments.authorize(ctx, this.saga.authorizeRequest(saga, paymentToken)),
    );
    await this.saga.fault('after_authorize', orderId);
    if ('error' in authorization) return this.failPayment(ctx, saga, owner, authorization.error);
    const payment = authorization.ok.payment;
    if (payment === undefined) throw new Error(`payments answered Authorize of ${orderId} without a payment`);
    if (payment.status === PaymentStatus.REQUIRES_ACTION) {
      return this.fail(
        ctx,
        saga,
        owner,
        {
          status: 'payment_failed',
          reason: 'authentication_required',
          message: 'The payment needs the customer to authenticate it.',
        },
        { payment: 'requires_action', paymentId: payment.id, paymentToken: null },
      );
    }

    const authorized = payment.id;
    const confirmed = await inTransaction(this.db, async () => {
      const order = await this.orders.placeConfirmed(ctx, {
        orderId,
        input: saga.draft,
        paymentId: authorized,
        actor: saga.draft.actor,
        placedAt: saga.createdAt,
      });
      if (order === undefined) return undefined;
      const now = this.clock.now();
      const completing = await this.sagas.updateInPhase(saga, owner, 'placing', {
        phase: 'completing',
        // The capture comes next: its intent is written with the confirmation.
        payment: 'capturing',
        paymentId: authorized,
        paymentToken: null,
        nextAttemptAt: now,
        updatedAt: now,
      });
      if (completing === undefined) throw new LeaseLost(orderId);
      return { order, completing };
    });
    if (confirmed === undefined) {
      // The customer was deleted while the order was being placed.
      return this.fail(
        ctx,
        saga,
        owner,
        { status: 'failed', reason: 'unknown_customer', message: `Customer ${saga.customerId} was deleted` },
        { payment: 'authorized', paymentId: authorized, paymentToken: null },
      );
    }
    await this.saga.fault('after_place', orderId);
    // Capture and commit after the answer; recovery finishes them if this process stops.
    this.saga.runInBackground(confirmed.completing, owner);
    return { order: confirmed.order, replayed: false };
  }

  /** A refused or unanswered authorization: the order fails, the stock (and any hold) is given back. */
  private failPayment(ctx: CallContext, saga: OrderSagaRow, owner: string, error: AppError): Promise<never> {
    const paymentId = extension(error, 'paymentId') ?? null;
    if (error.code === PROBLEMS.declined || error.code === PROBLEMS.insufficientFunds) {
      return this.fail(ctx, saga, owner, paymentFailure(error, 'card_declined'), {
        payment: 'failed',
        paymentId,
        paymentToken: null,
      });
    }
    if (error.code === PROBLEMS.authenticationRequired) {
      return this.fail(ctx, saga, owner, paymentFailure(error, 'authentication_required'), {
        payment: 'requires_action',
        paymentId,
        paymentToken: null,
      });
    }
    if (isTransient(error)) {
      // Outcome unknown: the payment stays `authorizing` (with its token) until recovery learns it.
      return this.fail(
        ctx,
        saga,
        owner,
        {
          status: 'failed',
          reason: 'payment_unavailable',
          message: error.detail ?? error.title,
        },
        { paymentId },
      );
    }
    return this.fail(
      ctx,
      saga,
      owner,
      { status: 'payment_failed', reason: error.code, message: error.detail ?? error.title },
      { payment: 'none', paymentId, paymentToken: null },
    );
  }

  /**
   * Records the failed order, gives back what the saga holds (here, so that the answer comes
   * after the stock is back; recovery retries what fails now), and answers with the problem.
   */
  private async fail(
    ctx: CallContext,
    saga: OrderSagaRow,
    owner: string,
    failure: SagaFailure,
    facts: SagaChanges,
  ): Promise<never> {
    const compensating = await this.saga.recordFailure(ctx, saga, owner, failure, facts);
    await this.saga.run(compensating, owner);
    throw placementProblem(saga.orderId, failure, compensating.paymentId);
  }

  /** Runs a call: its answer, or its problem if it answered with one (anything else — a crash — propagates). */
  private async attempt<T>(call: () => Promise<T>): Promise<{ ok: T } | { error: AppError }> {
    try {
      return { ok: await call() };
    } catch (error) {
      if (isAppError(error)) return { error };
      throw error;
    }
  }

  /** The answer stored for a repeated idempotency key: the order, or the problem of its failure. */
  private async replay(
    ctx: CallContext,
    saga: OrderSagaRow,
    request: PlacementRequest,
  ): Promise<PlacedOrder> {
    if (saga.fingerprint !== request.fingerprint) {
      throw platformErrors.idempotency_key_reused(
        `Idempotency-Key "${request.idempotencyKey ?? ''}" was first used for another order.`,
        { field: 'Idempotency-Key' },
      );
    }
    if (saga.phase === 'placing') {
      throw platformErrors.conflict(
        'A request with this Idempotency-Key is still in progress; retry shortly.',
      );
    }
    if (saga.failure !== null) throw placementProblem(saga.orderId, saga.failure, saga.paymentId);
    return { order: await this.orders.get(ctx, saga.orderId, { fresh: true }), replayed: true };
  }
}
