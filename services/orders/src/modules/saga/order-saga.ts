import { randomUUID } from 'node:crypto';
import { toMoney } from '@only/contracts/rpc';
import type { CatalogService } from '@only/contracts/rpc/catalog';
import { PaymentStatus, type PaymentsService } from '@only/contracts/rpc/payments';
import type { Clock } from '@only/platform/clock';
import { systemContext, type RequestContext } from '@only/platform/context';
import { inTransaction, withAllTenantsScope, withTenantScope, type Database } from '@only/platform/db';
import { isAppError, platformErrors, type AppError } from '@only/platform/errors';
import type { Logger } from '@only/platform/log';
import type { CallContext, RpcClient } from '@only/platform/rpc';
import type { Order } from '../orders/orders.dto.ts';
import type { OrdersService } from '../orders/orders.service.ts';
import { LeaseLost, type OrderSagaRepository, type SagaChanges } from './order-saga.repository.ts';
import type {
  OrderSagaRow,
  PaymentState,
  ReservationState,
  SagaFailure,
  SagaOutcome,
  SagaPhase,
} from './order-saga.table.ts';
import { sagaMetrics } from './saga-metrics.ts';
import {
  extension,
  isTransient,
  paymentKeys,
  PROBLEMS,
  type SagaAction,
  type SagaFaultPoint,
  type SagaSettings,
} from './saga-support.ts';

/** The saga's settings with their defaults applied. */
type Settings = Required<Omit<SagaSettings, 'faults'>> & Pick<SagaSettings, 'faults'>;

const DEFAULTS = {
  leaseMs: 30_000,
  reservationHoldMs: 24 * 60 * 60 * 1000,
  retryBaseMs: 1_000,
  retryMaxMs: 5 * 60 * 1000,
  recoveryIntervalMs: 1_000,
} as const;

const INTERRUPTED: SagaFailure = {
  status: 'failed',
  reason: 'interrupted',
  message: 'The placement was interrupted before the order was confirmed; nothing was charged.',
};

const oneOf = <T extends string>(value: T, ...states: readonly T[]) => states.includes(value);

/** A payment status as the saga records it. */
function paymentStateOf(status: PaymentStatus): PaymentState | undefined {
  switch (status) {
    case PaymentStatus.AUTHORIZED:
      return 'authorized';
    case PaymentStatus.REQUIRES_ACTION:
      return 'requires_action';
    case PaymentStatus.CAPTURED:
    case PaymentStatus.PARTIALLY_REFUNDED:
      return 'captured';
    case PaymentStatus.REFUNDED:
      return 'refunded';
    case PaymentStatus.VOIDED:
      return 'voided';
    case PaymentStatus.FAILED:
      return 'failed';
    default:
      return undefined;
  }
}

/**
 * `currentState` of a payments.invalid_state problem, as the saga records it. A payment with an
 * operation in flight (`processing`, `pending_review`) is busy: the step is retried later.
 */
function stateFromInvalidState(error: AppError): PaymentState | undefined {
  const current = extension(error, 'currentState');
  if (current === 'processing' || current === 'pending_review') {
    throw platformErrors.unavailable(`The payment is ${current}; its operation has not finished yet.`, {
      paymentId: extension(error, 'paymentId'),
    });
  }
  switch (current) {
    case 'captured':
    case 'partially_refunded':
      return 'captured';
    case 'refunded':
      return 'refunded';
    case 'voided':
      return 'voided';
    case 'failed':
      return 'failed';
    default:
      return undefined;
  }
}

/**
 * Drives order sagas (see `order_sagas`): once the order is confirmed, captures the payment and
 * commits the reservation; once its placement failed, releases the reservation and voids the
 * authorization; once a confirmed order is cancelled, voids or refunds the payment and releases
 * or returns the stock. Every call is preceded by a write of what is about to happen, and every
 * call is idempotent (reservation key and payment idempotency keys derive from the order id), so
 * a saga stopped anywhere — a crash, a dependency down — is finished by running it again: by
 * the process that started it, or by the recovery of any replica once its lease has expired.
 * A saga interrupted before its order was confirmed is compensated (the order recorded as
 * `failed`, reason `interrupted`); one interrupted after is completed.
 */
export class OrderSaga {
  private readonly db: Database;
  private readonly sagas: OrderSagaRepository;
  private readonly orders: OrdersService;
  private readonly catalog: RpcClient<typeof CatalogService>;
  private readonly payments: RpcClient<typeof PaymentsService>;
  private readonly clock: Clock;
  private readonly logger: Logger;
  readonly settings: Settings;
  private readonly instance = randomUUID();
  private leases = 0;
  private readonly inFlight = new Set<Promise<unknown>>();
  private timer: NodeJS.Timeout | undefined;
  private recovering: Promise<unknown> | undefined;

  constructor(deps: {
    db: Database;
    sagas: OrderSagaRepository;
    orders: OrdersService;
    catalog: RpcClient<typeof CatalogService>;
    payments: RpcClient<typeof PaymentsService>;
    clock: Clock;
    logger: Logger;
    settings?: SagaSettings;
  }) {
    this.db = deps.db;
    this.sagas = deps.sagas;
    this.orders = deps.orders;
    this.catalog = deps.catalog;
    this.payments = deps.payments;
    this.clock = deps.clock;
    this.logger = deps.logger;
    this.settings = { ...DEFAULTS, ...deps.settings };
  }

  /** A lease holder name unique to one run of one saga in this process. */
  newOwner(): string {
    this.leases += 1;
    return `${this.instance}:${String(this.leases)}`;
  }

  /** When a lease taken now ends. */
  leaseUntil(): Date {
    return new Date(this.clock.now().getTime() + this.settings.leaseMs);
  }

  /** Stops here like a crash if the test hook says so. */
  async fault(point: SagaFaultPoint, orderId: string): Promise<void> {
    await this.settings.faults?.(point, orderId);
  }

  /** The context of calls no user started: the orders service's machine token speaks for them. */
  machineContext(saga: OrderSagaRow): CallContext {
    return systemContext(saga.tenantId, saga.correlationId);
  }

  /** The Authorize request of a saga: the same every time, so that repeating it is idempotent. */
  authorizeRequest(saga: OrderSagaRow, paymentToken: string) {
    return {
      orderId: saga.orderId,
      amount: toMoney(saga.amount, saga.currency),
      paymentToken,
      idempotencyKey: paymentKeys.authorize(saga.orderId),
      customerId: saga.customerId,
    };
  }

  /**
   * Records the decided failure of a saga still `placing` — the order in its failed status with
   * `orders.order.failed` — and turns the saga to compensation, in one transaction.
   */
  async recordFailure(
    ctx: RequestContext,
    saga: OrderSagaRow,
    owner: string,
    failure: SagaFailure,
    facts: SagaChanges = {},
  ): Promise<OrderSagaRow> {
    const now = this.clock.now();
    const recorded = await inTransaction(this.db, async () => {
      await this.orders.recordFailed(ctx, {
        orderId: saga.orderId,
        input: saga.draft,
        status: failure.status,
        failure: {
          reason: failure.reason,
          message: failure.message,
          ...(failure.skus === undefined ? {} : { skus: failure.skus }),
        },
        paymentId: facts.paymentId ?? saga.paymentId,
        actor: saga.draft.actor,
        placedAt: saga.createdAt,
      });
      const moved = await this.sagas.updateInPhase(saga, owner, 'placing', {
        ...facts,
        phase: 'compensating',
        failure,
        nextAttemptAt: now,
        updatedAt: now,
      });
      // Taken over meanwhile: roll the order back, the new holder decides.
      if (!moved) throw new LeaseLost(saga.orderId);
      return moved;
    });
    await this.fault('after_record_failure', saga.orderId);
    return recorded;
  }

  /**
   * Runs a saga this process holds until it is done, must wait for a retry (a dependency failed:
   * the lease is given up and `next_attempt_at` set with backoff), or was taken over. Errors that
   * are not problems (a crash, a bug) propagate and write nothing: the lease then expires and
   * recovery takes the saga up again.
   */
  async run(saga: OrderSagaRow, owner: string): Promise<OrderSagaRow | undefined> {
    let current = saga;
    for (;;) {
      if (current.phase === 'done') return current;
      try {
        current = await this.step(current, owner);
      } catch (error) {
        if (error instanceof LeaseLost) return undefined;
        if (!isAppError(error)) throw error;
        if (isTransient(error)) return this.retryLater(current, owner, error);
        return this.needsAttention(current, owner, error);
      }
    }
  }

  /** Runs a saga in the background (after a response was sent); the lease covers a crash meanwhile. */
  runInBackground(saga: OrderSagaRow, owner: string): void {
    const work = withTenantScope(saga.tenantId, () => this.run(saga, owner)).catch((error: unknown) => {
      this.logger.error({ err: error, orderId: saga.orderId }, 'order saga stopped; recovery resumes it');
    });
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  /** Resolves once no saga runs in the background here (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Takes a saga now if no one holds it and runs it; otherwise its holder (or recovery) will. */
  async runNow(tenantId: string, orderId: string): Promise<void> {
    const owner = this.newOwner();
    const saga = await this.sagas.claim(tenantId, orderId, {
      owner,
      now: this.clock.now(),
      until: this.leaseUntil(),
    });
    if (saga === undefined) return;
    try {
      await this.run(saga, owner);
    } catch (error) {
      this.logger.error({ err: error, orderId }, 'order saga stopped; recovery resumes it');
    }
  }

  /**
   * Recovers and retries sagas of every tenant that are due: interrupted ones (their driver's
   * lease expired) and failed steps whose retry time came. One at a time, each in its tenant's
   * scope; safe to run in every replica at once. Returns how many it took up.
   */
  async recoverDue(limit = 100): Promise<number> {
    let taken = 0;
    while (taken < limit) {
      const owner = this.newOwner();
      // The only cross-tenant read: which saga is due. Everything after runs in its tenant's scope.
      const saga = await withAllTenantsScope(() =>
        this.sagas.claimDue({ owner, now: this.clock.now(), until: this.leaseUntil() }),
      );
      if (saga === undefined) break;
      taken += 1;
      sagaMetrics.recovered.inc();
      try {
        await withTenantScope(saga.tenantId, () => this.run(saga, owner));
      } catch (error) {
        this.logger.error({ err: error, orderId: saga.orderId }, 'order saga recovery failed; retried later');
      }
    }
    return taken;
  }

  /** Starts the periodic recovery. */
  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => {
      if (this.recovering !== undefined) return;
      this.recovering = this.recoverDue()
        .catch((error: unknown) => {
          this.logger.error({ err: error }, 'order saga recovery failed');
        })
        .finally(() => {
          this.recovering = undefined;
        });
    }, this.settings.recoveryIntervalMs);
    this.timer.unref();
  }

  /** Stops the recovery and waits for the sagas running here. */
  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.recovering;
    await this.idle();
  }

  /**
   * Cancels an order; for a confirmed order of a paid placement, in the same transaction (the
   * caller's, if one is open), turns its saga to giving everything back. Answers the cancelled
   * order and whether it has a saga — to be run with {@link runNow} once the transaction committed
   * (then the payment is voided or refunded and the stock released or returned).
   */
  async requestCancel(
    ctx: RequestContext,
    orderId: string,
    reason: string,
  ): Promise<{ order: Order; hasSaga: boolean }> {
    return inTransaction(this.db, async () => {
      const order = await this.orders.transition(ctx, orderId, 'cancel', reason);
      const saga = await this.sagas.requestCancel(ctx.tenantId, orderId, reason, this.clock.now());
      return { order, hasSaga: saga !== undefined };
    });
  }

  /** The next step of a saga, by its phase and what it knows of its reservation and payment. */
  private async step(saga: OrderSagaRow, owner: string): Promise<OrderSagaRow> {
    const { reservation, payment } = saga;
    switch (saga.phase) {
      case 'placing':
        // Its driver is gone before the order was confirmed: compensate.
        return this.recordFailure(this.machineContext(saga), saga, owner, INTERRUPTED);
      case 'compensating':
        if (oneOf<ReservationState>(reservation, 'reserving', 'reserved', 'releasing'))
          return this.release(saga, owner);
        if (payment === 'authorizing') return this.reauthorize(saga, owner);
        if (oneOf<PaymentState>(payment, 'authorized', 'requires_action', 'voiding'))
          return this.void(saga, owner);
        return this.finish(saga, owner, 'compensating', 'compensated');
      case 'completing':
        if (oneOf<PaymentState>(payment, 'authorized', 'capturing')) return this.capture(saga, owner);
        if (oneOf<ReservationState>(reservation, 'reserved', 'committing')) return this.commit(saga, owner);
        return this.finish(saga, owner, 'completing', 'completed');
      case 'cancelling':
        if (payment === 'authorizing') return this.reauthorize(saga, owner);
        if (oneOf<PaymentState>(payment, 'authorized', 'requires_action', 'capturing', 'voiding'))
          return this.void(saga, owner);
        if (oneOf<PaymentState>(payment, 'captured', 'refunding')) return this.refund(saga, owner);
        if (oneOf<ReservationState>(reservation, 'reserving', 'reserved', 'committing', 'releasing'))
          return this.release(saga, owner);
        if (oneOf<ReservationState>(reservation, 'committed', 'returning'))
          return this.returnStock(saga, owner);
        return this.finish(saga, owner, 'cancelling', 'cancelled');
      case 'done':
        return saga;
    }
  }

  /**
   * One call of a step: writes `intent` first (what may have happened if we stop during the
   * call), makes the call, then writes what it achieved. `settle` maps the answer — or a problem
   * the step knows how to read — to the saga's new knowledge; any other problem propagates.
   */
  private async act<T>(
    saga: OrderSagaRow,
    owner: string,
    action: SagaAction,
    intent: SagaChanges,
    call: (ctx: CallContext) => Promise<T>,
    settle: { ok: (answer: T) => SagaChanges; problem?: (error: AppError) => SagaChanges | undefined },
  ): Promise<OrderSagaRow> {
    const needsIntent = Object.entries(intent).some(
      ([key, value]) => saga[key as keyof OrderSagaRow] !== value,
    );
    const held = needsIntent
      ? await this.sagas.update(saga, owner, { ...intent, updatedAt: this.clock.now() })
      : saga;
    await this.fault(`before_${action}`, saga.orderId);
    let outcome: SagaChanges;
    try {
      outcome = settle.ok(await call(this.machineContext(saga)));
    } catch (error) {
      const known = isAppError(error) ? settle.problem?.(error) : undefined;
      if (known === undefined) throw error;
      outcome = known;
    }
    await this.fault(`after_${action}`, saga.orderId);
    return this.sagas.update(held, owner, { ...outcome, lastError: null, updatedAt: this.clock.now() });
  }

  private release(saga: OrderSagaRow, owner: string): Promise<OrderSagaRow> {
    const reason = saga.phase === 'cancelling' ? 'order_cancelled' : (saga.failure?.status ?? 'order_failed');
    return this.act(
      saga,
      owner,
      'release',
      { reservation: 'releasing' },
      (ctx) => this.catalog.releaseReservation(ctx, { reservationKey: saga.orderId, reason }),
      {
        ok: () => ({ reservation: 'released' }),
        problem: (error) => {
          // Never reserved: the reservation call did not take effect.
          if (error.code === PROBLEMS.reservationNotFound) return { reservation: 'none' };
          const state = extension(error, 'currentState');
          if (error.code !== PROBLEMS.reservationNotActive || saga.phase !== 'cancelling') return undefined;
          // Committed meanwhile (the commit call had taken effect): return it instead.
          if (state === 'committed') return { reservation: 'committed' };
          if (state === 'returned') return { reservation: 'returned' };
          return undefined;
        },
      },
    );
  }

  private commit(saga: OrderSagaRow, owner: string): Promise<OrderSagaRow> {
    return this.act(
      saga,
      owner,
      'commit',
      { reservation: 'committing' },
      (ctx) => this.catalog.commitReservation(ctx, { reservationKey: saga.orderId }),
      { ok: () => ({ reservation: 'committed' }) },
    );
  }

  private returnStock(saga: OrderSagaRow, owner: string): Promise<OrderSagaRow> {
    return this.act(
      saga,
      owner,
      'return',
      { reservation: 'returning' },
      (ctx) =>
        this.catalog.returnReservation(ctx, { reservationKey: saga.orderId, reason: 'order_cancelled' }),
      {
        ok: () => ({ reservation: 'returned' }),
        problem: (error) => {
          if (error.code === PROBLEMS.reservationNotFound) return { reservation: 'none' };
          if (error.code !== PROBLEMS.reservationNotActive) return undefined;
          const state = extension(error, 'currentState');
          if (state === 'active') return { reservation: 'reserved' };
          if (state === 'released' || state === 'expired') return { reservation: 'released' };
          return undefined;
        },
      },
    );
  }

  /**
   * Learns what became of an authorization whose outcome is unknown by asking for it again with
   * its idempotency key (payments answers the first outcome, or completes the provider call under
   * the same provider-side key): then it can be voided.
   */
  private reauthorize(saga: OrderSagaRow, owner: string): Promise<OrderSagaRow> {
    const token = saga.paymentToken;
    if (token === null) {
      throw platformErrors.internal(`Saga ${saga.orderId} lost the token of an authorization in doubt`);
    }
    return this.act(
      saga,
      owner,
      'reauthorize',
      {},
      (ctx) => this.payments.authorize(ctx, this.authorizeRequest(saga, token)),
      {
        ok: (answer) => {
          const state = answer.payment === undefined ? undefined : paymentStateOf(answer.payment.status);
          if (state === undefined) {
            throw platformErrors.bad_gateway(`Payment of ${saga.orderId} answered in an unexpected state`);
          }
          return { payment: state, paymentId: answer.payment?.id ?? saga.paymentId, paymentToken: null };
        },
        problem: (error) => {
          const paymentId = extension(error, 'paymentId') ?? saga.paymentId;
          if (error.code === PROBLEMS.declined || error.code === PROBLEMS.insufficientFunds)
            return { payment: 'failed', paymentId, paymentToken: null };
          if (error.code === PROBLEMS.authenticationRequired)
            return { payment: 'requires_action', paymentId, paymentToken: null };
          return undefined;
        },
      },
    );
  }

  private capture(saga: OrderSagaRow, owner: string): Promise<OrderSagaRow> {
    const paymentId = this.paymentIdOf(saga);
    return this.act(
      saga,
      owner,
      'capture',
      { payment: 'capturing' },
      (ctx) => this.payments.capture(ctx, { paymentId, idempotencyKey: paymentKeys.capture(saga.orderId) }),
      {
        // The commit's intent goes with the capture's outcome: one write fewer per order.
        ok: () => ({
          payment: 'captured',
          ...(saga.phase === 'completing' && saga.reservation === 'reserved'
            ? { reservation: 'committing' }
            : {}),
        }),
        problem: (error) => {
          if (error.code !== PROBLEMS.invalidState) return undefined;
          const state = stateFromInvalidState(error);
          return state === 'captured' || state === 'refunded' ? { payment: state } : undefined;
        },
      },
    ).catch((error: unknown) => {
      // A definitive refusal (declined, voided meanwhile): the order cannot be paid — cancel it.
      if (isAppError(error) && !isTransient(error)) return this.cancelUnpaid(saga, owner, error);
      throw error;
    });
  }

  private void(saga: OrderSagaRow, owner: string): Promise<OrderSagaRow> {
    const paymentId = this.paymentIdOf(saga);
    const reason = saga.phase === 'cancelling' ? 'order_cancelled' : 'order_not_placed';
    return this.act(
      saga,
      owner,
      'void',
      { payment: 'voiding' },
      (ctx) => this.payments.void(ctx, { paymentId, idempotencyKey: paymentKeys.void(saga.orderId), reason }),
      {
        ok: () => ({ payment: 'voided' }),
        problem: (error) => {
          if (error.code === PROBLEMS.paymentNotFound) return { payment: 'none' };
          if (error.code !== PROBLEMS.invalidState) return undefined;
          const state = stateFromInvalidState(error);
          // Captured before the cancellation (the capture had taken effect): refund instead.
          if (state === 'captured' && saga.phase !== 'cancelling') return undefined;
          return state === undefined ? undefined : { payment: state };
        },
      },
    );
  }

  private refund(saga: OrderSagaRow, owner: string): Promise<OrderSagaRow> {
    const paymentId = this.paymentIdOf(saga);
    return this.act(
      saga,
      owner,
      'refund',
      { payment: 'refunding' },
      (ctx) =>
        this.payments.refund(ctx, {
          paymentId,
          amount: toMoney(saga.amount, saga.currency),
          idempotencyKey: paymentKeys.refund(saga.orderId),
          reason: 'order_cancelled',
        }),
      {
        ok: () => ({ payment: 'refunded' }),
        problem: (error) => {
          if (error.code === PROBLEMS.invalidState && stateFromInvalidState(error) === 'refunded')
            return { payment: 'refunded' };
          if (error.code === PROBLEMS.refundExceedsCaptured && error.extensions.refundable === 0)
            return { payment: 'refunded' };
          return undefined;
        },
      },
    );
  }

  private paymentIdOf(saga: OrderSagaRow): string {
    if (saga.paymentId === null)
      throw platformErrors.internal(`Saga ${saga.orderId} is ${saga.payment} without a payment id`);
    return saga.paymentId;
  }

  /**
   * The payment of a confirmed order was refused at capture: the order is cancelled (it cannot
   * be paid) and the saga gives everything back. A capture refused after the order moved on
   * (fulfilled) needs a person.
   */
  private async cancelUnpaid(saga: OrderSagaRow, owner: string, refusal: AppError): Promise<OrderSagaRow> {
    const reason = `The payment could not be captured: ${refusal.detail ?? refusal.title}`;
    const ctx = this.machineContext(saga);
    return inTransaction(this.db, async () => {
      await this.orders.transition(ctx, saga.orderId, 'cancel', reason);
      const now = this.clock.now();
      const cancelling = await this.sagas.updateInPhase(saga, owner, 'completing', {
        phase: 'cancelling',
        cancelReason: reason,
        lastError: `${refusal.code}: ${refusal.message}`,
        updatedAt: now,
      });
      return cancelling ?? this.current(saga);
    });
  }

  /** Ends a saga in `phase`; if its phase moved on meanwhile (a cancellation), goes on from there. */
  private async finish(
    saga: OrderSagaRow,
    owner: string,
    phase: SagaPhase,
    outcome: SagaOutcome,
  ): Promise<OrderSagaRow> {
    const done = await this.sagas.updateInPhase(saga, owner, phase, {
      phase: 'done',
      outcome,
      leaseOwner: null,
      leaseUntil: null,
      paymentToken: null,
      lastError: null,
      updatedAt: this.clock.now(),
    });
    if (done === undefined) return this.current(saga);
    sagaMetrics.ended.inc({ outcome });
    return done;
  }

  private async current(saga: OrderSagaRow): Promise<OrderSagaRow> {
    const row = await this.sagas.find(saga.tenantId, saga.orderId);
    if (row === undefined) throw new Error(`saga ${saga.orderId} vanished`);
    return row;
  }

  /** Gives the lease up and schedules the next attempt, later each time (capped). */
  private async retryLater(
    saga: OrderSagaRow,
    owner: string,
    error: AppError,
  ): Promise<OrderSagaRow | undefined> {
    const now = this.clock.now();
    const delay = Math.min(
      this.settings.retryBaseMs * 2 ** Math.max(0, saga.attempts - 1),
      this.settings.retryMaxMs,
    );
    this.logger.warn(
      { orderId: saga.orderId, phase: saga.phase, problem: error.code, retryInMs: delay },
      'order saga step failed; retrying later',
    );
    sagaMetrics.retried.inc({ phase: saga.phase });
    try {
      return await this.sagas.update(saga, owner, {
        leaseOwner: null,
        leaseUntil: null,
        nextAttemptAt: new Date(now.getTime() + delay),
        lastError: `${error.code}: ${error.message}`,
        updatedAt: now,
      });
    } catch (lost) {
      if (lost instanceof LeaseLost) return undefined;
      throw lost;
    }
  }

  /** A step was refused in a way no retry changes: the saga stops and waits for a person. */
  private async needsAttention(
    saga: OrderSagaRow,
    owner: string,
    error: AppError,
  ): Promise<OrderSagaRow | undefined> {
    this.logger.error(
      { orderId: saga.orderId, phase: saga.phase, problem: error.code, detail: error.detail },
      'order saga needs attention: a step was refused',
    );
    sagaMetrics.ended.inc({ outcome: 'attention' });
    try {
      return await this.sagas.update(saga, owner, {
        phase: 'done',
        outcome: 'attention',
        leaseOwner: null,
        leaseUntil: null,
        lastError: `${error.code}: ${error.message}`,
        updatedAt: this.clock.now(),
      });
    } catch (lost) {
      if (lost instanceof LeaseLost) return undefined;
      throw lost;
    }
  }
}
