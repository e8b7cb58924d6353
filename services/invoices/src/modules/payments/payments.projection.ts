import type { EventData } from '@only/contracts/envelope';
import type { paymentCapturedV1, paymentRefundedV1 } from '@only/contracts/payments';
import type { RequestContext } from '@only/platform/context';
import { inTransaction, type Database } from '@only/platform/db';
import type { InvoicesRepository } from '../invoices/invoices.repository.ts';
import type { InvoicesService } from '../invoices/invoices.service.ts';
import { lockOrderBilling } from '../invoices/order-lock.ts';
import type { PaymentsRepository } from './payments.repository.ts';

/**
 * Applies payment events to invoices: a capture marks the order's invoice paid, a refund credits
 * it with a credit note. Either may come before the invoice exists — it follows the order's
 * confirmation just as they do — so each is recorded first and applied when the invoice is issued.
 */
export class PaymentsProjection {
  private readonly db: Database;
  private readonly payments: PaymentsRepository;
  private readonly invoices: InvoicesRepository;
  private readonly invoicing: InvoicesService;

  constructor(deps: {
    db: Database;
    payments: PaymentsRepository;
    invoices: InvoicesRepository;
    invoicing: InvoicesService;
  }) {
    this.db = deps.db;
    this.payments = deps.payments;
    this.invoices = deps.invoices;
    this.invoicing = deps.invoicing;
  }

  async captured(ctx: RequestContext, data: EventData<typeof paymentCapturedV1>): Promise<void> {
    await inTransaction(this.db, async () => {
      await lockOrderBilling(this.db, ctx.tenantId, data.orderId);
      await this.payments.recordCapture({
        tenantId: ctx.tenantId,
        paymentId: data.paymentId,
        orderId: data.orderId,
        currency: data.amount.currency,
        captured: data.amount.amount,
        lastCapturedAt: new Date(data.capturedAt),
      });
      const invoice = await this.invoices.findByOrder(ctx.tenantId, data.orderId, { forUpdate: true });
      if (invoice !== undefined) await this.invoicing.settlePayments(ctx, invoice);
    });
  }

  async refunded(ctx: RequestContext, data: EventData<typeof paymentRefundedV1>): Promise<void> {
    if (data.amount.amount === 0) return;
    await inTransaction(this.db, async () => {
      await lockOrderBilling(this.db, ctx.tenantId, data.orderId);
      const recorded = await this.payments.recordRefund({
        tenantId: ctx.tenantId,
        refundId: data.refundId,
        paymentId: data.paymentId,
        orderId: data.orderId,
        currency: data.amount.currency,
        amount: data.amount.amount,
        reason: data.reason ?? 'Refund',
        refundedAt: new Date(data.refundedAt),
        creditNoteId: null,
      });
      if (!recorded) return;
      const invoice = await this.invoices.findByOrder(ctx.tenantId, data.orderId, { forUpdate: true });
      if (invoice !== undefined) await this.invoicing.creditRefund(ctx, invoice, data.refundId);
    });
  }
}
