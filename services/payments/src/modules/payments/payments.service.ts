import {
  paymentAuthorizedV1,
  paymentCapturedV1,
  paymentFailedV1,
  paymentRefundedV1,
  paymentVoidedV1,
} from '@only/contracts/payments';
import type { Clock } from '@only/platform/clock';
import type { RequestContext } from '@only/platform/context';
import type { Database } from '@only/platform/db';
import { decodeCursor, toPage } from '@only/platform/http';
import { newId } from '@only/platform/ids';
import type { Logger } from '@only/platform/log';
import { z } from 'zod';
import { paymentsErrors } from '../../errors.ts';
import type {
  AuthenticationResult,
  AuthorizeOutcome,
  OperationOutcome as ProviderOperationOutcome,
  ProviderDecline,
} from '../providers/payment-provider.ts';
import type { ProviderRegistry } from '../providers/provider-registry.ts';
import {
  CommandRunner,
  fingerprintOf,
  KeyTaken,
  type Applied,
  type Command,
  type CommandOutcome,
  type CommandResult,
  type Started,
} from './command-runner.ts';
import type { PaymentEvents } from './payment-events.ts';
import { allowedActions, invalidState, type PaymentAction } from './payment-state-machine.ts';
import { toOperationView, toPaymentView, toRefundView } from './payment-views.ts';
import type { ListPaymentsQuery, OperationView, PaymentView } from './payments.dto.ts';
import type { PaymentsRepository } from './payments.repository.ts';
import type { OperationKind, PaymentOperationRow, PaymentRow } from './payments.table.ts';

/** What {@link PaymentsService.authorize} takes: the operation RPC `Authorize` and `POST /payments` wrap. */
export interface AuthorizeInput {
  readonly orderId: string;
  readonly amount: number;
  readonly currency: string;
  /** The payment method's token: passed to the provider, never stored or logged. */
  readonly paymentToken: string;
  readonly customerId?: string;
  /** Provider adapter; the service default when absent. */
  readonly provider?: string;
}

/** Capture: all of the authorized amount, or `amount` of it. */
export interface CaptureInput {
  readonly amount?: number;
  /** When given (RPC money), it must be the payment's currency. */
  readonly currency?: string;
}

export interface VoidInput {
  readonly reason?: string;
}

export interface RefundInput {
  readonly amount: number;
  readonly currency?: string;
  readonly reason?: string;
}

const cursorSchema = z.object({ id: z.string() });

function notFound(id: string) {
  return paymentsErrors.payment_not_found(`No payment ${id}`);
}

/** Refuses `action` unless the payment's state allows it (and no operation holds the payment). */
function assertAllows(payment: PaymentRow, action: PaymentAction): void {
  if (payment.pendingOperationId !== null || !allowedActions(payment.status).includes(action))
    throw invalidState(payment.id, payment.status, action);
}

function assertCurrency(payment: PaymentRow, currency: string | undefined): void {
  if (currency !== undefined && currency !== payment.currency)
    throw paymentsErrors.currency_mismatch(
      `Payment ${payment.id} is in ${payment.currency}, not ${currency}`,
      { field: 'amount.currency', currency: payment.currency },
    );
}

/** The problem a provider's decline answers with. */
function declineError(paymentId: string, decline: ProviderDecline) {
  const extensions = { paymentId, declineReason: decline.declineCode };
  return decline.declineCode === 'insufficient_funds'
    ? paymentsErrors.insufficient_funds(decline.message, extensions)
    : paymentsErrors.declined(decline.message, extensions);
}

/**
 * Payments of orders: authorize (through a provider adapter), authenticate, capture, void and
 * refund, each idempotent by its key and safe against unknown provider outcomes (see
 * {@link CommandRunner}), with the history of every operation, events through the outbox and
 * webhook deliveries in the same transaction. These are the operations the payments RPC exposes.
 */
export class PaymentsService {
  private readonly repository: PaymentsRepository;
  private readonly providers: ProviderRegistry;
  private readonly events: PaymentEvents;
  private readonly clock: Clock;
  private readonly runner: CommandRunner;

  constructor(deps: {
    db: Database;
    repository: PaymentsRepository;
    providers: ProviderRegistry;
    events: PaymentEvents;
    clock: Clock;
    logger: Logger;
    /** How long a provider call may take before its outcome counts as unknown. */
    providerTimeoutMs: number;
  }) {
    this.repository = deps.repository;
    this.providers = deps.providers;
    this.events = deps.events;
    this.clock = deps.clock;
    this.runner = new CommandRunner({
      db: deps.db,
      repository: deps.repository,
      clock: deps.clock,
      logger: deps.logger,
      providerTimeoutMs: deps.providerTimeoutMs,
    });
  }

  /**
   * Authorizes `amount` on the payment method for an order: a new payment, `authorized`, or
   * `requires_action` when the customer must authenticate it first. A decline fails it (the
   * payment stays, `failed`) with `payments.declined` / `payments.insufficient_funds`; no answer
   * in time leaves it `pending_review` with `payments.provider_unavailable`.
   */
  authorize(ctx: RequestContext, input: AuthorizeInput, idempotencyKey: string): Promise<CommandOutcome> {
    const provider = this.providers.resolve(input.provider);
    const request = {
      orderId: input.orderId,
      amount: input.amount,
      currency: input.currency,
      paymentToken: input.paymentToken,
      customerId: input.customerId ?? null,
      provider: provider.name,
    };
    const command: Command<AuthorizeOutcome> = {
      kind: 'authorize',
      idempotencyKey,
      fingerprint: fingerprintOf({ kind: 'authorize', ...request }),
      start: async (now) => {
        const paymentId = newId('pay');
        const opId = newId('pop');
        const payment = await this.repository.insertPayment({
          id: paymentId,
          tenantId: ctx.tenantId,
          orderId: request.orderId,
          customerId: request.customerId,
          status: 'processing',
          currency: request.currency,
          amount: request.amount,
          provider: provider.name,
          pendingOperationId: opId,
          createdAt: now,
          updatedAt: now,
        });
        const op = await this.newOperation(ctx, payment, 'authorize', now, {
          id: opId,
          amount: request.amount,
          idempotencyKey,
          fingerprint: command.fingerprint,
        });
        return { type: 'claimed', payment, op };
      },
      call: (payment, _op, options) =>
        provider.authorize(
          {
            reference: payment.id,
            amount: payment.amount,
            currency: payment.currency,
            paymentToken: input.paymentToken,
          },
          options,
        ),
      apply: (payment, _op, answer, now) =>
        this.applyAuthorization(ctx, payment, answer, now, 'authorization'),
      unknown: (payment, now) => this.markPendingReview(ctx, payment, now),
    };
    return this.runner.run(ctx, command);
  }

  /**
   * Completes the authentication of a `requires_action` payment: authorized when the customer
   * passed it, `failed` (code `authentication_failed`) when not — both answered with the payment.
   */
  authenticate(
    ctx: RequestContext,
    paymentId: string,
    result: AuthenticationResult,
    idempotencyKey: string,
  ): Promise<CommandOutcome> {
    const command: Command<AuthorizeOutcome> = {
      kind: 'authenticate',
      idempotencyKey,
      fingerprint: fingerprintOf({ kind: 'authenticate', paymentId, result }),
      start: async (now) => {
        const payment = await this.lock(ctx, paymentId);
        assertAllows(payment, 'authenticate');
        return this.hold(ctx, payment, 'authenticate', now, {
          amount: payment.amount,
          idempotencyKey,
          fingerprint: command.fingerprint,
        });
      },
      call: (payment, _op, options) =>
        this.providers.of(payment.provider).completeAuthentication(
          {
            providerReference: payment.providerReference ?? '',
            amount: payment.amount,
            currency: payment.currency,
            simulate: result,
          },
          options,
        ),
      apply: async (payment, _op, answer, now) => {
        const applied = await this.applyAuthorization(ctx, payment, answer, now, 'authentication');
        // A failed authentication is the answer to this request, not its failure.
        if (applied.error === undefined) return applied;
        const failed = await this.lock(ctx, payment.id);
        return {
          outcome: applied.outcome,
          providerReference: applied.providerReference,
          result: await this.resultOf(failed),
        };
      },
      unknown: (payment, now) => this.markPendingReview(ctx, payment, now),
    };
    return this.runner.run(ctx, command);
  }

  /**
   * Captures all of an authorized payment, or `amount` of it; once — the rest of the
   * authorization is released. Emits `payments.payment.captured`.
   */
  capture(
    ctx: RequestContext,
    paymentId: string,
    input: CaptureInput,
    idempotencyKey: string,
  ): Promise<CommandOutcome> {
    const command: Command<ProviderOperationOutcome> = {
      kind: 'capture',
      idempotencyKey,
      fingerprint: fingerprintOf({ kind: 'capture', paymentId, amount: input.amount ?? null }),
      start: async (now) => {
        const payment = await this.lock(ctx, paymentId);
        assertCurrency(payment, input.currency);
        assertAllows(payment, 'capture');
        const amount = input.amount ?? payment.amount;
        if (amount > payment.amount)
          throw paymentsErrors.capture_exceeds_authorized(
            `${String(amount)} is more than the ${String(payment.amount)} authorized`,
            { field: 'amount', authorized: payment.amount },
          );
        return this.hold(ctx, payment, 'capture', now, {
          amount,
          idempotencyKey,
          fingerprint: command.fingerprint,
        });
      },
      call: (payment, op, options) =>
        this.providers.of(payment.provider).capture(
          {
            providerReference: payment.providerReference ?? '',
            amount: op.amount,
            currency: payment.currency,
          },
          options,
        ),
      apply: async (payment, op, answer, now): Promise<Applied> => {
        if (answer.status === 'declined') return this.release(ctx, payment, op, answer, now);
        const captured = await this.repository.updatePayment(ctx.tenantId, payment.id, {
          status: 'captured',
          amountCaptured: op.amount,
          capturedAt: now,
          pendingOperationId: null,
          updatedAt: now,
        });
        await this.events.publish(
          ctx,
          paymentCapturedV1,
          {
            ...this.refOf(captured),
            amount: { amount: op.amount, currency: captured.currency },
            authorized: { amount: captured.amount, currency: captured.currency },
            released: { amount: captured.amount - op.amount, currency: captured.currency },
            capturedAt: now.toISOString(),
          },
          captured.id,
        );
        return {
          outcome: 'succeeded',
          providerReference: answer.providerReference,
          result: await this.resultOf(captured),
        };
      },
      unknown: (payment, now) => this.markPendingReview(ctx, payment, now),
    };
    return this.runner.run(ctx, command);
  }

  /**
   * Voids an authorized payment (or one awaiting authentication): nothing is taken and the
   * reservation is released; emits `payments.payment.voided`. A voided payment is answered as it is.
   */
  void(
    ctx: RequestContext,
    paymentId: string,
    input: VoidInput,
    idempotencyKey: string,
  ): Promise<CommandOutcome> {
    const reason = input.reason ?? null;
    const command: Command<ProviderOperationOutcome> = {
      kind: 'void',
      idempotencyKey,
      fingerprint: fingerprintOf({ kind: 'void', paymentId, reason }),
      start: async (now): Promise<Started> => {
        const payment = await this.lock(ctx, paymentId);
        if (payment.status === 'voided') return { type: 'done', result: await this.resultOf(payment) };
        assertAllows(payment, 'void');
        return this.hold(ctx, payment, 'void', now, {
          amount: payment.amount,
          reason,
          idempotencyKey,
          fingerprint: command.fingerprint,
        });
      },
      call: (payment, _op, options) =>
        this.providers
          .of(payment.provider)
          .void({ providerReference: payment.providerReference ?? '' }, options),
      apply: async (payment, op, answer, now): Promise<Applied> => {
        if (answer.status === 'declined') return this.release(ctx, payment, op, answer, now);
        const voided = await this.repository.updatePayment(ctx.tenantId, payment.id, {
          status: 'voided',
          voidedAt: now,
          nextAction: null,
          pendingOperationId: null,
          updatedAt: now,
        });
        await this.events.publish(
          ctx,
          paymentVoidedV1,
          {
            ...this.refOf(voided),
            amount: { amount: voided.amount, currency: voided.currency },
            reason,
            voidedAt: now.toISOString(),
          },
          voided.id,
        );
        return {
          outcome: 'succeeded',
          providerReference: answer.providerReference,
          result: await this.resultOf(voided),
        };
      },
      unknown: (payment, now) => this.markPendingReview(ctx, payment, now),
    };
    return this.runner.run(ctx, command);
  }

  /**
   * Refunds `amount` of a captured payment; may be repeated. What is refunded and what refunds in
   * flight reserve never exceeds what was captured, however many refunds run at once: the check
   * and the reservation happen under the payment's row lock. Emits `payments.payment.refunded`.
   */
  refund(
    ctx: RequestContext,
    paymentId: string,
    input: RefundInput,
    idempotencyKey: string,
  ): Promise<CommandOutcome> {
    const reason = input.reason ?? null;
    const command: Command<ProviderOperationOutcome> = {
      kind: 'refund',
      idempotencyKey,
      fingerprint: fingerprintOf({ kind: 'refund', paymentId, amount: input.amount, reason }),
      start: async (now) => {
        const payment = await this.lock(ctx, paymentId);
        assertCurrency(payment, input.currency);
        assertAllows(payment, 'refund');
        const refundable = payment.amountCaptured - payment.amountRefunded - payment.amountRefundPending;
        if (input.amount > refundable)
          throw paymentsErrors.refund_exceeds_captured(
            `${String(input.amount)} is more than the ${String(refundable)} left to refund`,
            {
              field: 'amount',
              paymentId,
              refundable,
              captured: payment.amountCaptured,
              refunded: payment.amountRefunded,
              pending: payment.amountRefundPending,
            },
          );
        const reserved = await this.repository.updatePayment(ctx.tenantId, payment.id, {
          amountRefundPending: payment.amountRefundPending + input.amount,
          updatedAt: now,
        });
        const op = await this.newOperation(ctx, reserved, 'refund', now, {
          amount: input.amount,
          reason,
          idempotencyKey,
          fingerprint: command.fingerprint,
        });
        return { type: 'claimed', payment: reserved, op };
      },
      call: (payment, op, options) =>
        this.providers.of(payment.provider).refund(
          {
            providerReference: payment.providerReference ?? '',
            amount: op.amount,
            currency: payment.currency,
          },
          options,
        ),
      apply: async (payment, op, answer, now): Promise<Applied> => {
        if (answer.status === 'declined') {
          await this.repository.updatePayment(ctx.tenantId, payment.id, {
            amountRefundPending: payment.amountRefundPending - op.amount,
            updatedAt: now,
          });
          return { outcome: 'declined', providerReference: null, error: declineError(payment.id, answer) };
        }
        const amountRefunded = payment.amountRefunded + op.amount;
        const refunded = await this.repository.updatePayment(ctx.tenantId, payment.id, {
          amountRefundPending: payment.amountRefundPending - op.amount,
          amountRefunded,
          status: amountRefunded === payment.amountCaptured ? 'refunded' : 'partially_refunded',
          updatedAt: now,
        });
        const currency = refunded.currency;
        await this.events.publish(
          ctx,
          paymentRefundedV1,
          {
            ...this.refOf(refunded),
            refundId: op.id,
            amount: { amount: op.amount, currency },
            totalRefunded: { amount: amountRefunded, currency },
            captured: { amount: refunded.amountCaptured, currency },
            fullyRefunded: refunded.status === 'refunded',
            reason: op.reason,
            refundedAt: now.toISOString(),
          },
          refunded.id,
        );
        const refund = toRefundView({
          ...op,
          outcome: 'succeeded',
          providerReference: answer.providerReference,
        });
        // The refund row is not succeeded until this transaction stores it: list it here.
        const result = await this.resultOf(refunded, [
          { ...op, outcome: 'succeeded', providerReference: answer.providerReference },
        ]);
        return {
          outcome: 'succeeded',
          providerReference: answer.providerReference,
          result: { ...result, refund },
        };
      },
      // The amount stays reserved until a retry with the same key learns the outcome.
      unknown: () => Promise.resolve(),
    };
    return this.runner.run(ctx, command);
  }

  async get(ctx: RequestContext, id: string): Promise<PaymentView> {
    const row = await this.repository.findPayment(ctx.tenantId, id);
    if (!row) throw notFound(id);
    return (await this.resultOf(row)).payment;
  }

  /** The operations of a payment, oldest first: its full history. */
  async operations(ctx: RequestContext, id: string): Promise<{ items: OperationView[] }> {
    const row = await this.repository.findPayment(ctx.tenantId, id);
    if (!row) throw notFound(id);
    return { items: (await this.repository.operationsOf(ctx.tenantId, id)).map(toOperationView) };
  }

  async list(
    ctx: RequestContext,
    query: ListPaymentsQuery,
  ): Promise<{ items: PaymentView[]; nextCursor: string | null }> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, cursorSchema).id;
    const rows = await this.repository.listPayments(
      ctx.tenantId,
      {
        ...(query.orderId === undefined ? {} : { orderId: query.orderId }),
        ...(query.status === undefined ? {} : { statuses: query.status }),
      },
      { limit: query.limit, afterId: after },
    );
    const shown = rows.slice(0, query.limit);
    const refunds = await this.repository.refundsOf(
      ctx.tenantId,
      shown.map((row) => row.id),
    );
    const pending = await this.repository.operationsById(
      ctx.tenantId,
      shown.flatMap((row) => (row.pendingOperationId === null ? [] : [row.pendingOperationId])),
    );
    const kinds = new Map(pending.map((op) => [op.id, op.kind]));
    return toPage(
      rows,
      query.limit,
      (row) =>
        toPaymentView(
          row,
          refunds,
          row.pendingOperationId === null ? undefined : kinds.get(row.pendingOperationId),
        ),
      (row) => ({ id: row.id }),
    );
  }

  /** The payment, locked for this transaction; `payments.payment_not_found` otherwise. */
  private async lock(ctx: RequestContext, id: string): Promise<PaymentRow> {
    const payment = await this.repository.findPayment(ctx.tenantId, id, { forUpdate: true });
    if (!payment) throw notFound(id);
    return payment;
  }

  private async newOperation(
    ctx: RequestContext,
    payment: PaymentRow,
    kind: OperationKind,
    now: Date,
    fields: {
      id?: string;
      amount: number;
      reason?: string | null;
      idempotencyKey: string;
      fingerprint: string;
    },
  ): Promise<PaymentOperationRow> {
    const op = await this.repository.insertOperation({
      id: fields.id ?? newId('pop'),
      tenantId: ctx.tenantId,
      paymentId: payment.id,
      kind,
      outcome: 'pending',
      amount: fields.amount,
      currency: payment.currency,
      reason: fields.reason ?? null,
      idempotencyKey: fields.idempotencyKey,
      fingerprint: fields.fingerprint,
      fromStatus: payment.status,
      attempts: 1,
      leaseUntil: this.runner.leaseUntil(now),
      actorType: ctx.actor.type,
      actorId: ctx.actor.id,
      createdAt: now,
    });
    if (op === undefined) throw new KeyTaken();
    return op;
  }

  /** Starts an operation that holds the payment (`processing`) until the provider answers. */
  private async hold(
    ctx: RequestContext,
    payment: PaymentRow,
    kind: OperationKind,
    now: Date,
    fields: { amount: number; reason?: string | null; idempotencyKey: string; fingerprint: string },
  ): Promise<Started> {
    const op = await this.newOperation(ctx, payment, kind, now, fields);
    const held = await this.repository.updatePayment(ctx.tenantId, payment.id, {
      status: 'processing',
      pendingOperationId: op.id,
      updatedAt: now,
    });
    return { type: 'claimed', payment: held, op };
  }

  /** A declined capture or void: the payment goes back to where it was. */
  private async release(
    ctx: RequestContext,
    payment: PaymentRow,
    op: PaymentOperationRow,
    decline: ProviderDecline,
    now: Date,
  ): Promise<Applied> {
    await this.repository.updatePayment(ctx.tenantId, payment.id, {
      status: op.fromStatus ?? 'authorized',
      pendingOperationId: null,
      updatedAt: now,
    });
    return { outcome: 'declined', providerReference: null, error: declineError(payment.id, decline) };
  }

  private async markPendingReview(ctx: RequestContext, payment: PaymentRow, now: Date): Promise<void> {
    await this.repository.updatePayment(ctx.tenantId, payment.id, {
      status: 'pending_review',
      updatedAt: now,
    });
  }

  /** Applies an authorization's answer (first call, or completion of its authentication). */
  private async applyAuthorization(
    ctx: RequestContext,
    payment: PaymentRow,
    answer: AuthorizeOutcome,
    now: Date,
    stage: 'authorization' | 'authentication',
  ): Promise<Applied> {
    const card = answer.card === null ? {} : { cardBrand: answer.card.brand, cardLast4: answer.card.last4 };
    const base = {
      ...card,
      providerReference: answer.providerReference ?? payment.providerReference,
      pendingOperationId: null,
      updatedAt: now,
    };
    switch (answer.status) {
      case 'authorized': {
        const authorized = await this.repository.updatePayment(ctx.tenantId, payment.id, {
          ...base,
          status: 'authorized',
          nextAction: null,
          authorizedAt: now,
        });
        await this.events.publish(
          ctx,
          paymentAuthorizedV1,
          {
            ...this.refOf(authorized),
            amount: { amount: authorized.amount, currency: authorized.currency },
            card:
              authorized.cardBrand === null && authorized.cardLast4 === null
                ? null
                : { brand: authorized.cardBrand, last4: authorized.cardLast4 },
            authorizedAt: now.toISOString(),
          },
          authorized.id,
        );
        return {
          outcome: 'succeeded',
          providerReference: answer.providerReference,
          result: await this.resultOf(authorized),
        };
      }
      case 'requires_action': {
        const waiting = await this.repository.updatePayment(ctx.tenantId, payment.id, {
          ...base,
          status: 'requires_action',
          nextAction: answer.action,
        });
        return {
          outcome: 'requires_action',
          providerReference: answer.providerReference,
          result: await this.resultOf(waiting),
        };
      }
      case 'declined': {
        const failed = await this.repository.updatePayment(ctx.tenantId, payment.id, {
          ...base,
          status: 'failed',
          nextAction: null,
          failureCode: answer.declineCode,
          failureMessage: answer.message,
        });
        await this.events.publish(
          ctx,
          paymentFailedV1,
          {
            ...this.refOf(failed),
            amount: { amount: failed.amount, currency: failed.currency },
            failureCode: answer.declineCode,
            failureMessage: answer.message,
            stage,
            failedAt: now.toISOString(),
          },
          failed.id,
        );
        return {
          outcome: 'declined',
          providerReference: answer.providerReference,
          error: declineError(failed.id, answer),
        };
      }
    }
  }

  private refOf(payment: PaymentRow) {
    return {
      paymentId: payment.id,
      orderId: payment.orderId,
      customerId: payment.customerId,
      provider: payment.provider,
      providerReference: payment.providerReference,
    };
  }

  /** The answer of a command: the payment with its refunds (plus `extraRefunds` not yet stored as succeeded). */
  private async resultOf(
    payment: PaymentRow,
    extraRefunds: readonly PaymentOperationRow[] = [],
  ): Promise<CommandResult> {
    const refunds = [...(await this.repository.refundsOf(payment.tenantId, [payment.id])), ...extraRefunds];
    const pending =
      payment.pendingOperationId === null
        ? undefined
        : await this.repository.findOperation(payment.tenantId, payment.pendingOperationId);
    return { payment: toPaymentView(payment, refunds, pending?.kind) };
  }
}
