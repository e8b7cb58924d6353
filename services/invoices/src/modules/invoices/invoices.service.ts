import { invoiceIssuedV1, invoicePaidV1 } from '@only/contracts/invoices';
import type { Clock } from '@only/platform/clock';
import type { RequestContext } from '@only/platform/context';
import { inTransaction, type Database } from '@only/platform/db';
import { decodeCursor, toPage } from '@only/platform/http';
import { newId } from '@only/platform/ids';
import type { Outbox } from '@only/platform/outbox';
import { z } from 'zod';
import { addDays, localDate } from '../../calendar.ts';
import { invoicesErrors } from '../../errors.ts';
import type { CreditNotesService } from '../credit-notes/credit-notes.service.ts';
import type { NumberingService } from '../numbering/numbering.service.ts';
import type { OrderDetails } from '../orders/order-source.ts';
import type { PaymentsRepository } from '../payments/payments.repository.ts';
import type { DocumentPdf, PdfRenderer } from '../pdf/pdf-renderer.ts';
import { amountDifferences, invoiceAmounts } from './invoice-amounts.ts';
import {
  toInvoice,
  toInvoiceSummary,
  type Invoice,
  type InvoiceSummary,
  type ListInvoicesQuery,
} from './invoices.dto.ts';
import type { InvoicesRepository } from './invoices.repository.ts';
import type { InvoiceRow } from './invoices.table.ts';
import type { IssuingTermsReader } from './issuing-terms.ts';
import { lockOrderBilling } from './order-lock.ts';

const cursorSchema = z.object({ id: z.string() });

/**
 * Invoices: one per confirmed order, numbered without gaps per tenant, marked paid once the
 * order's captured payments cover them, credited by credit notes.
 */
export class InvoicesService {
  private readonly db: Database;
  private readonly invoices: InvoicesRepository;
  private readonly payments: PaymentsRepository;
  private readonly creditNotes: CreditNotesService;
  private readonly numbering: NumberingService;
  private readonly terms: IssuingTermsReader;
  private readonly outbox: Outbox;
  private readonly clock: Clock;
  private readonly pdf: PdfRenderer;

  constructor(deps: {
    db: Database;
    invoices: InvoicesRepository;
    payments: PaymentsRepository;
    creditNotes: CreditNotesService;
    numbering: NumberingService;
    terms: IssuingTermsReader;
    outbox: Outbox;
    clock: Clock;
    pdf: PdfRenderer;
  }) {
    this.db = deps.db;
    this.invoices = deps.invoices;
    this.payments = deps.payments;
    this.creditNotes = deps.creditNotes;
    this.numbering = deps.numbering;
    this.terms = deps.terms;
    this.outbox = deps.outbox;
    this.clock = deps.clock;
    this.pdf = deps.pdf;
  }

  /** Whether the order has its invoice already (a cheap check before fetching the order). */
  async existsForOrder(ctx: RequestContext, orderId: string): Promise<boolean> {
    return (await this.invoices.findByOrder(ctx.tenantId, orderId)) !== undefined;
  }

  /**
   * Issues the invoice of a confirmed order, once: a second call for the same order returns the
   * first invoice and changes nothing. Takes the next number of the tenant's invoice series in
   * this transaction, emits `invoices.invoice.issued`, and applies what payments already told
   * about the order (a capture marks it paid, refunds become credit notes).
   */
  async issueForOrder(
    ctx: RequestContext,
    order: OrderDetails,
  ): Promise<{ invoice: Invoice; issued: boolean }> {
    const computed = invoiceAmounts(order.lines);
    const differences = amountDifferences(computed, order);
    if (differences.length > 0)
      throw new Error(
        `order ${order.id}: its amounts do not follow from its lines (${differences.join('; ')})`,
      );
    return inTransaction(this.db, async () => {
      await lockOrderBilling(this.db, ctx.tenantId, order.id);
      const existing = await this.invoices.findByOrder(ctx.tenantId, order.id);
      if (existing !== undefined) return { invoice: await this.view(existing), issued: false };

      const terms = await this.terms.of(ctx.tenantId);
      const now = this.clock.now();
      const issueDate = localDate(now, terms.timezone);
      const lease = await this.numbering.lock(ctx.tenantId, 'invoice', terms.invoiceNumberFormat, issueDate);
      const id = newId('inv');
      const row = await this.invoices.insert(
        {
          id,
          tenantId: ctx.tenantId,
          number: await lease.take(),
          orderId: order.id,
          orderNumber: order.number,
          customerId: order.customer.id,
          customerName: order.customer.name,
          customerEmail: order.customer.email,
          billingAddress: order.customer.billingAddress,
          sellerName: terms.sellerName,
          status: 'issued',
          currency: order.currency,
          subtotal: computed.totals.subtotal,
          taxTotal: computed.totals.tax,
          total: computed.totals.total,
          issueDate,
          dueDate: addDays(issueDate, terms.paymentTermsDays),
          paymentTermsDays: terms.paymentTermsDays,
          issuedAt: now,
          updatedAt: now,
        },
        computed.lines.map((line, index) => ({
          tenantId: ctx.tenantId,
          invoiceId: id,
          position: index + 1,
          sku: line.sku,
          name: line.name,
          quantity: line.quantity,
          unitPrice: line.unitPrice,
          taxRateBps: line.taxRateBps,
          subtotal: line.subtotal,
          tax: line.tax,
          total: line.total,
        })),
        computed.taxes.map((tax) => ({ tenantId: ctx.tenantId, invoiceId: id, ...tax })),
      );
      const invoice = await this.view(row);
      await this.outbox.emit(
        invoiceIssuedV1,
        {
          invoice: {
            id: invoice.id,
            number: invoice.number,
            orderId: invoice.orderId,
            orderNumber: invoice.orderNumber,
            customer: { id: invoice.customer.id, name: invoice.customer.name, email: invoice.customer.email },
            status: invoice.status,
            currency: invoice.currency,
            lines: invoice.lines,
            taxes: invoice.taxes,
            totals: invoice.totals,
            issueDate: invoice.issueDate,
            dueDate: invoice.dueDate,
            issuedAt: invoice.issuedAt,
          },
        },
        { ctx, aggregateId: id },
      );
      let current = await this.settlePayments(ctx, row);
      for (const refund of await this.payments.uncreditedRefundsOf(ctx.tenantId, order.id))
        current = await this.creditRefund(ctx, current, refund.refundId);
      return { invoice: current === row ? invoice : await this.view(current), issued: true };
    });
  }

  /**
   * Marks `invoice` paid when the order's captured payments (in its currency) cover what is left
   * of it after credit notes, emitting `invoices.invoice.paid`; short of that, records what was
   * captured. The caller holds the order's billing lock and the invoice row.
   */
  async settlePayments(ctx: RequestContext, invoice: InvoiceRow): Promise<InvoiceRow> {
    const captures = (await this.payments.capturesOf(ctx.tenantId, invoice.orderId)).filter(
      (capture) => capture.currency === invoice.currency,
    );
    const captured = captures.reduce((sum, capture) => sum + capture.captured, 0);
    const last = captures.at(-1);
    if (last === undefined || captured <= invoice.amountPaid) return invoice;
    const now = this.clock.now();
    if (invoice.status !== 'issued' || captured < invoice.total - invoice.amountCredited) {
      // Not (or no longer) to be paid — partly captured, or credited in full before the capture
      // was seen: the amount is kept, the status and its event are not changed.
      return this.invoices.update(
        ctx.tenantId,
        invoice.id,
        { amountPaid: captured, paymentId: last.paymentId },
        now,
      );
    }
    const paid = await this.invoices.update(
      ctx.tenantId,
      invoice.id,
      { status: 'paid', amountPaid: captured, paymentId: last.paymentId, paidAt: now },
      now,
    );
    await this.outbox.emit(
      invoicePaidV1,
      {
        invoiceId: paid.id,
        number: paid.number,
        orderId: paid.orderId,
        paymentId: last.paymentId,
        currency: paid.currency,
        amountPaid: captured,
        paidAt: now.toISOString(),
      },
      { ctx, aggregateId: paid.id },
    );
    return paid;
  }

  /**
   * Credits a recorded refund of the order on `invoice` (locked by the caller): a credit note for
   * the refunded amount — or for what is left to credit, if less — then the refund is marked
   * credited. A refund in another currency, or with nothing left to credit, gets no note.
   */
  async creditRefund(ctx: RequestContext, invoice: InvoiceRow, refundId: string): Promise<InvoiceRow> {
    const refund = (await this.payments.uncreditedRefundsOf(ctx.tenantId, invoice.orderId)).find(
      (candidate) => candidate.refundId === refundId,
    );
    if (refund === undefined) return invoice;
    const creditable = invoice.total - invoice.amountCredited;
    if (refund.currency !== invoice.currency || creditable === 0) return invoice;
    const { note, invoice: updated } = await this.creditNotes.credit(ctx, invoice, {
      amount: Math.min(refund.amount, creditable),
      reason: refund.reason,
      refundId: refund.refundId,
    });
    await this.payments.markCredited(ctx.tenantId, refund.refundId, note.id);
    return updated;
  }

  /** The invoice with its lines and tax summary. */
  async view(row: InvoiceRow): Promise<Invoice> {
    const lines = await this.invoices.linesOf(row.tenantId, row.id);
    const taxes = await this.invoices.taxesOf(row.tenantId, row.id);
    return toInvoice(row, lines, taxes);
  }

  async get(ctx: RequestContext, id: string): Promise<Invoice> {
    const row = await this.invoices.find(ctx.tenantId, id);
    if (row === undefined) throw invoicesErrors.invoice_not_found(`No invoice ${id}`);
    return this.view(row);
  }

  async list(
    ctx: RequestContext,
    query: ListInvoicesQuery,
  ): Promise<{ items: InvoiceSummary[]; nextCursor: string | null }> {
    const before = query.cursor === undefined ? undefined : decodeCursor(query.cursor, cursorSchema).id;
    const rows = await this.invoices.list(
      ctx.tenantId,
      { statuses: query.status, orderId: query.orderId, customerId: query.customerId },
      { limit: query.limit, beforeId: before },
    );
    return toPage(rows, query.limit, toInvoiceSummary, (row) => ({ id: row.id }));
  }

  /** The invoice as a PDF in the tenant's branding. */
  async pdfOf(ctx: RequestContext, id: string): Promise<DocumentPdf> {
    const invoice = await this.get(ctx, id);
    return this.pdf.invoice(ctx.tenantId, invoice);
  }
}
