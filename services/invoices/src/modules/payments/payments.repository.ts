import { and, asc, eq, isNull } from 'drizzle-orm';
import { executor, type Database } from '@only/platform/db';
import {
  orderPayments,
  paymentRefunds,
  type OrderPaymentRow,
  type PaymentRefundRow,
} from './payments.table.ts';

/** Captures and refunds seen in payment events; every query is scoped to one tenant. */
export class PaymentsRepository {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  /** Records what a payment captured (a payment is captured once; a repeat changes nothing). */
  async recordCapture(row: OrderPaymentRow): Promise<void> {
    await executor(this.db)
      .insert(orderPayments)
      .values(row)
      .onConflictDoUpdate({
        target: [orderPayments.tenantId, orderPayments.paymentId],
        set: { captured: row.captured, lastCapturedAt: row.lastCapturedAt },
      });
  }

  /** The captured payments of an order, oldest capture first. */
  capturesOf(tenantId: string, orderId: string): Promise<OrderPaymentRow[]> {
    return executor(this.db)
      .select()
      .from(orderPayments)
      .where(and(eq(orderPayments.tenantId, tenantId), eq(orderPayments.orderId, orderId)))
      .orderBy(asc(orderPayments.lastCapturedAt));
  }

  /** Records a refund; false if it was recorded before. */
  async recordRefund(row: PaymentRefundRow): Promise<boolean> {
    const inserted = await executor(this.db)
      .insert(paymentRefunds)
      .values(row)
      .onConflictDoNothing()
      .returning({ refundId: paymentRefunds.refundId });
    return inserted.length > 0;
  }

  /** Refunds of an order not credited yet, oldest first. */
  uncreditedRefundsOf(tenantId: string, orderId: string): Promise<PaymentRefundRow[]> {
    return executor(this.db)
      .select()
      .from(paymentRefunds)
      .where(
        and(
          eq(paymentRefunds.tenantId, tenantId),
          eq(paymentRefunds.orderId, orderId),
          isNull(paymentRefunds.creditNoteId),
        ),
      )
      .orderBy(asc(paymentRefunds.refundedAt), asc(paymentRefunds.refundId));
  }

  async markCredited(tenantId: string, refundId: string, creditNoteId: string): Promise<void> {
    await executor(this.db)
      .update(paymentRefunds)
      .set({ creditNoteId })
      .where(and(eq(paymentRefunds.tenantId, tenantId), eq(paymentRefunds.refundId, refundId)));
  }
}
