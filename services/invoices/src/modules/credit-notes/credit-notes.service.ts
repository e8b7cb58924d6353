import { creditNoteIssuedV1 } from '@only/contracts/invoices';
import type { Clock } from '@only/platform/clock';
import type { RequestContext } from '@only/platform/context';
import { inTransaction, type Database } from '@only/platform/db';
import { decodeCursor, toPage } from '@only/platform/http';
import { newId } from '@only/platform/ids';
import type { Outbox } from '@only/platform/outbox';
import { z } from 'zod';
import { localDate } from '../../calendar.ts';
import { invoicesErrors } from '../../errors.ts';
import type { IssuingTermsReader } from '../invoices/issuing-terms.ts';
import type { InvoicesRepository } from '../invoices/invoices.repository.ts';
import type { InvoiceRow } from '../invoices/invoices.table.ts';
import { lockOrderBilling } from '../invoices/order-lock.ts';
import type { NumberingService } from '../numbering/numbering.service.ts';
import type { DocumentPdf, PdfRenderer } from '../pdf/pdf-renderer.ts';
import { creditAllocation, remainingByRate } from './credit-amounts.ts';
import {
  toCreditNote,
  type CreateCreditNoteInput,
  type CreditNote,
  type ListCreditNotesQuery,
} from './credit-notes.dto.ts';
import type { CreditNotesRepository } from './credit-notes.repository.ts';
import type { CreditNoteLineRow, CreditNoteRow } from './credit-notes.table.ts';

const cursorSchema = z.object({ id: z.string() });

/** What one credit note credits. */
export interface CreditRequest {
  /** Gross amount in minor units, more than zero and at most what is left to credit. */
  readonly amount: number;
  readonly reason: string;
  /** The refund it documents, if any. */
  readonly refundId: string | null;
}

/**
 * Credit notes: issued for payment refunds (through the payment events) or by hand, numbered in
 * their own gap-free series, spread over the invoice's tax rates. An invoice whose credit notes
 * add up to its total becomes `credited`.
 */
export class CreditNotesService {
  private readonly db: Database;
  private readonly notes: CreditNotesRepository;
  private readonly invoices: InvoicesRepository;
  private readonly numbering: NumberingService;
  private readonly terms: IssuingTermsReader;
  private readonly outbox: Outbox;
  private readonly clock: Clock;
  private readonly pdf: PdfRenderer;

  constructor(deps: {
    db: Database;
    notes: CreditNotesRepository;
    invoices: InvoicesRepository;
    numbering: NumberingService;
    terms: IssuingTermsReader;
    outbox: Outbox;
    clock: Clock;
    pdf: PdfRenderer;
  }) {
    this.db = deps.db;
    this.notes = deps.notes;
    this.invoices = deps.invoices;
    this.numbering = deps.numbering;
    this.terms = deps.terms;
    this.outbox = deps.outbox;
    this.clock = deps.clock;
    this.pdf = deps.pdf;
  }

  /**
   * Issues a credit note against `invoice`, which the caller has locked (with its order's
   * billing) in the open transaction: numbers it, spreads it over the invoice's tax rates, adds
   * it to the invoice's credited amount, and emits `invoices.credit_note.issued`.
   */
  async credit(
    ctx: RequestContext,
    invoice: InvoiceRow,
    request: CreditRequest,
  ): Promise<{ note: CreditNote; invoice: InvoiceRow }> {
    const terms = await this.terms.of(ctx.tenantId);
    const now = this.clock.now();
    const issueDate = localDate(now, terms.timezone);
    const taxes = await this.invoices.taxesOf(ctx.tenantId, invoice.id);
    const credited = await this.notes.creditedLinesOf(ctx.tenantId, invoice.id);
    const parts = creditAllocation(remainingByRate(taxes, credited), request.amount);
    const lease = await this.numbering.lock(
      ctx.tenantId,
      'credit_note',
      terms.creditNoteNumberFormat,
      issueDate,
    );
    const id = newId('crn');
    const lines: CreditNoteLineRow[] = parts.map((part) => ({
      tenantId: ctx.tenantId,
      creditNoteId: id,
      rateBps: part.rateBps,
      subtotal: part.subtotal,
      tax: part.tax,
    }));
    const subtotal = parts.reduce((sum, part) => sum + part.subtotal, 0);
    const tax = parts.reduce((sum, part) => sum + part.tax, 0);
    const row = await this.notes.insert(
      {
        id,
        tenantId: ctx.tenantId,
        number: await lease.take(),
        invoiceId: invoice.id,
        invoiceNumber: invoice.number,
        orderId: invoice.orderId,
        customerId: invoice.customerId,
        currency: invoice.currency,
        subtotal,
        taxTotal: tax,
        total: subtotal + tax,
        reason: request.reason,
        refundId: request.refundId,
        issueDate,
        issuedAt: now,
      },
      lines,
    );
    const amountCredited = invoice.amountCredited + row.total;
    const fully = amountCredited === invoice.total;
    const updated = await this.invoices.update(
      ctx.tenantId,
      invoice.id,
      { amountCredited, ...(fully ? { status: 'credited' as const, creditedAt: now } : {}) },
      now,
    );
    const note = toCreditNote(row, lines);
    await this.outbox.emit(
      creditNoteIssuedV1,
      {
        creditNote: {
          id: note.id,
          number: note.number,
          invoiceId: note.invoiceId,
          invoiceNumber: note.invoiceNumber,
          orderId: note.orderId,
          customerId: note.customerId,
          currency: note.currency,
          reason: note.reason,
          refundId: note.refundId,
          taxes: parts.map((part) => ({ rateBps: part.rateBps, taxable: part.subtotal, tax: part.tax })),
          totals: note.totals,
          issueDate: note.issueDate,
          issuedAt: note.issuedAt,
        },
        invoice: { id: updated.id, status: updated.status, amountCredited: updated.amountCredited },
      },
      { ctx, aggregateId: invoice.id },
    );
    return { note, invoice: updated };
  }

  /** A credit note issued by hand (a goodwill credit, a correction): all that is left by default. */
  async creditByHand(
    ctx: RequestContext,
    invoiceId: string,
    input: CreateCreditNoteInput,
  ): Promise<CreditNote> {
    return inTransaction(this.db, async () => {
      const found = await this.invoices.find(ctx.tenantId, invoiceId);
      if (found === undefined) throw invoicesErrors.invoice_not_found(`No invoice ${invoiceId}`);
      await lockOrderBilling(this.db, ctx.tenantId, found.orderId);
      const invoice = await this.invoices.find(ctx.tenantId, invoiceId, { forUpdate: true });
      if (invoice === undefined) throw invoicesErrors.invoice_not_found(`No invoice ${invoiceId}`);
      const creditable = invoice.total - invoice.amountCredited;
      if (creditable === 0) {
        throw invoicesErrors.nothing_to_credit(`Invoice ${invoice.number} is credited in full`, {
          amountCredited: invoice.amountCredited,
        });
      }
      const amount = input.amount ?? creditable;
      if (amount > creditable) {
        throw invoicesErrors.credit_exceeds_balance(
          `At most ${String(creditable)} is left to credit on invoice ${invoice.number}`,
          { field: 'amount', creditable },
        );
      }
      const { note } = await this.credit(ctx, invoice, { amount, reason: input.reason, refundId: null });
      return note;
    });
  }

  async get(ctx: RequestContext, id: string): Promise<CreditNote> {
    const row = await this.notes.find(ctx.tenantId, id);
    if (row === undefined) throw invoicesErrors.credit_note_not_found(`No credit note ${id}`);
    return toCreditNote(row, await this.notes.linesOf(ctx.tenantId, [row.id]));
  }

  async list(
    ctx: RequestContext,
    query: ListCreditNotesQuery,
  ): Promise<{ items: CreditNote[]; nextCursor: string | null }> {
    const before = query.cursor === undefined ? undefined : decodeCursor(query.cursor, cursorSchema).id;
    const rows = await this.notes.list(
      ctx.tenantId,
      { invoiceId: query.invoiceId, orderId: query.orderId, customerId: query.customerId },
      { limit: query.limit, beforeId: before },
    );
    const page = rows.slice(0, query.limit);
    const lines = await this.notes.linesOf(
      ctx.tenantId,
      page.map((row) => row.id),
    );
    return toPage(
      rows,
      query.limit,
      (row: CreditNoteRow) =>
        toCreditNote(
          row,
          lines.filter((line) => line.creditNoteId === row.id),
        ),
      (row) => ({ id: row.id }),
    );
  }

  /** The credit note as a PDF in the tenant's branding. */
  async pdfOf(ctx: RequestContext, id: string): Promise<DocumentPdf> {
    const note = await this.get(ctx, id);
    const invoice = await this.invoices.find(ctx.tenantId, note.invoiceId);
    if (invoice === undefined) throw new Error(`credit note ${id} has no invoice ${note.invoiceId}`);
    return this.pdf.creditNote(ctx.tenantId, note, {
      sellerName: invoice.sellerName,
      customer: {
        name: invoice.customerName,
        email: invoice.customerEmail,
        billingAddress: invoice.billingAddress,
      },
    });
  }
}
