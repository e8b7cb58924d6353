import type { OperationView, PaymentView, RefundView } from './payments.dto.ts';
import type { OperationKind, PaymentOperationRow, PaymentRow } from './payments.table.ts';
import { allowedActions } from './payment-state-machine.ts';

/** A succeeded refund operation as the API shows it. */
export function toRefundView(op: PaymentOperationRow): RefundView {
  return {
    id: op.id,
    amount: op.amount,
    currency: op.currency,
    reason: op.reason,
    providerReference: op.providerReference,
    createdAt: op.createdAt.toISOString(),
  };
}

/** A payment as the API shows it, with its succeeded refunds and the kind of its pending operation. */
export function toPaymentView(
  row: PaymentRow,
  refunds: readonly PaymentOperationRow[],
  pendingKind: OperationKind | undefined,
): PaymentView {
  const hasCard = row.cardBrand !== null || row.cardLast4 !== null;
  return {
    id: row.id,
    orderId: row.orderId,
    customerId: row.customerId,
    status: row.status,
    amount: row.amount,
    currency: row.currency,
    amountCaptured: row.amountCaptured,
    amountRefunded: row.amountRefunded,
    amountRefundPending: row.amountRefundPending,
    refundable: row.amountCaptured - row.amountRefunded - row.amountRefundPending,
    provider: row.provider,
    providerReference: row.providerReference,
    card: hasCard ? { brand: row.cardBrand, last4: row.cardLast4 } : null,
    failure:
      row.failureCode === null
        ? null
        : { code: row.failureCode, message: row.failureMessage ?? row.failureCode },
    nextAction: row.status === 'requires_action' ? row.nextAction : null,
    pendingOperation:
      row.pendingOperationId === null || pendingKind === undefined
        ? null
        : { id: row.pendingOperationId, kind: pendingKind },
    allowedActions: [...allowedActions(row.status)],
    refunds: refunds.filter((op) => op.paymentId === row.id).map(toRefundView),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    authorizedAt: row.authorizedAt?.toISOString() ?? null,
    capturedAt: row.capturedAt?.toISOString() ?? null,
    voidedAt: row.voidedAt?.toISOString() ?? null,
  };
}

/** One operation of a payment's history. */
export function toOperationView(op: PaymentOperationRow): OperationView {
  return {
    id: op.id,
    kind: op.kind,
    outcome: op.outcome,
    amount: op.amount,
    currency: op.currency,
    reason: op.reason,
    idempotencyKey: op.idempotencyKey,
    attempts: op.attempts,
    providerReference: op.providerReference,
    error: op.problem === null ? null : { code: op.problem.code, detail: op.problem.detail },
    actor: { type: op.actorType, id: op.actorId },
    createdAt: op.createdAt.toISOString(),
    completedAt: op.completedAt?.toISOString() ?? null,
  };
}
