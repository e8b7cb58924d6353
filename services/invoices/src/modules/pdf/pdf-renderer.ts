import { formatMoney } from '@only/platform/money';
import type { CreditNote } from '../credit-notes/credit-notes.dto.ts';
import type { Invoice } from '../invoices/invoices.dto.ts';
import type { PostalAddress } from '../invoices/invoices.table.ts';
import type { TenantProfilesRepository } from '../tenants/tenant-profiles.repository.ts';
import type { TenantProfileRow } from '../tenants/tenant-profiles.table.ts';
import { brandStyle } from './brand-style.ts';
import { drawDocument, type Printable } from './document-layout.ts';
import type { LogoLoader } from './logo-loader.ts';

/** A rendered document. */
export interface DocumentPdf {
  /** `INV-2026-000001.pdf`. */
  readonly filename: string;
  readonly content: Buffer;
}

/** A locale this runtime formats with: the tenant's, or English. */
function usableLocale(locale: string | undefined): string {
  if (locale === undefined) return 'en';
  try {
    return Intl.NumberFormat.supportedLocalesOf([locale]).length > 0 ? locale : 'en';
  } catch {
    return 'en';
  }
}

/** Formats amounts, rates and dates in one locale. */
class Formats {
  private readonly locale: string;
  private readonly currency: string;

  constructor(locale: string, currency: string) {
    this.locale = locale;
    this.currency = currency;
  }

  money(amount: number): string {
    return formatMoney(amount, this.currency, this.locale);
  }

  rate(bps: number): string {
    return `${(bps / 100).toLocaleString(this.locale, { maximumFractionDigits: 2 })} %`;
  }

  date(isoDate: string): string {
    return new Intl.DateTimeFormat(this.locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(
      new Date(`${isoDate}T00:00:00Z`),
    );
  }
}

/** Who a document is from and for, as its invoice says. */
export interface Parties {
  readonly sellerName: string;
  readonly customer: {
    readonly name: string;
    readonly email: string;
    readonly billingAddress: PostalAddress | null;
  };
}

/** The "bill to" block: name, e-mail, then the address as it is printed on an envelope. */
function billTo(customer: Parties['customer']): string[] {
  const address = customer.billingAddress;
  return [
    customer.name,
    customer.email,
    ...(address === null
      ? []
      : [
          ...address.lines,
          `${address.postalCode} ${address.city}`.trim(),
          ...(address.region === null ? [] : [address.region]),
          address.country,
        ]),
  ].filter((line) => line !== '');
}

const STATUS_LABELS = { issued: 'Issued', paid: 'Paid', credited: 'Credited' } as const;

function safeFilename(number: string): string {
  return `${number.replace(/[^A-Za-z0-9._-]+/g, '_')}.pdf`;
}

/**
 * Renders invoices and credit notes as PDFs in the tenant's branding (logo, colours, a standard
 * font close to theirs), from the local copy of the tenant's profile.
 */
export class PdfRenderer {
  private readonly tenants: TenantProfilesRepository;
  private readonly logos: LogoLoader;
  private readonly compress: boolean;

  constructor(deps: { tenants: TenantProfilesRepository; logos: LogoLoader; compress?: boolean }) {
    this.tenants = deps.tenants;
    this.logos = deps.logos;
    this.compress = deps.compress ?? true;
  }

  private async draw(profile: TenantProfileRow | undefined, printable: Printable): Promise<Buffer> {
    const logo = await this.logos.load(profile?.branding.logoUrl);
    return drawDocument(printable, brandStyle(profile?.branding), logo, { compress: this.compress });
  }

  async invoice(tenantId: string, invoice: Invoice): Promise<DocumentPdf> {
    const profile = await this.tenants.find(tenantId);
    const f = new Formats(usableLocale(profile?.locale), invoice.currency);
    const seller = invoice.seller.name || profile?.name || '';
    const totals: Printable['totals'][number][] = [
      { label: 'Subtotal', value: f.money(invoice.totals.subtotal) },
      { label: 'Tax', value: f.money(invoice.totals.tax) },
      { label: 'Total', value: f.money(invoice.totals.total), strong: true },
    ];
    if (invoice.amountPaid > 0) totals.push({ label: 'Paid', value: f.money(-invoice.amountPaid) });
    if (invoice.amountCredited > 0)
      totals.push({ label: 'Credited', value: f.money(-invoice.amountCredited) });
    totals.push({ label: 'Balance due', value: f.money(invoice.balanceDue) });
    const content = await this.draw(profile, {
      title: 'Invoice',
      number: invoice.number,
      seller,
      billTo: billTo(invoice.customer),
      facts: [
        ['Invoice number', invoice.number],
        ['Issue date', f.date(invoice.issueDate)],
        ['Due date', f.date(invoice.dueDate)],
        ['Order', invoice.orderNumber],
        ['Status', STATUS_LABELS[invoice.status]],
      ],
      columns: [
        { label: 'Description', width: 165, align: 'left' },
        { label: 'Qty', width: 35, align: 'right' },
        { label: 'Unit price', width: 70, align: 'right' },
        { label: 'Rate', width: 40, align: 'right' },
        { label: 'Net', width: 70, align: 'right' },
        { label: 'Tax', width: 55, align: 'right' },
        { label: 'Total', width: 60, align: 'right' },
      ],
      rows: invoice.lines.map((line) => ({
        cells: [
          line.name,
          String(line.quantity),
          f.money(line.unitPrice),
          f.rate(line.taxRateBps),
          f.money(line.subtotal),
          f.money(line.tax),
          f.money(line.total),
        ],
        detail: `SKU ${line.sku}`,
      })),
      taxes: invoice.taxes.map(
        (tax) => [f.rate(tax.rateBps), f.money(tax.taxable), f.money(tax.tax)] as const,
      ),
      totals,
      remark:
        invoice.status === 'issued'
          ? `Please pay ${f.money(invoice.balanceDue)} by ${f.date(invoice.dueDate)}, quoting ${invoice.number}. Tax is rounded per line.`
          : 'Tax is rounded per line.',
      metadata: { title: `Invoice ${invoice.number}`, subject: `Order ${invoice.orderNumber}` },
    });
    return { filename: safeFilename(invoice.number), content };
  }

  async creditNote(tenantId: string, note: CreditNote, parties: Parties): Promise<DocumentPdf> {
    const profile = await this.tenants.find(tenantId);
    const f = new Formats(usableLocale(profile?.locale), note.currency);
    const content = await this.draw(profile, {
      title: 'Credit note',
      number: note.number,
      seller: parties.sellerName || profile?.name || '',
      billTo: billTo(parties.customer),
      facts: [
        ['Credit note number', note.number],
        ['Issue date', f.date(note.issueDate)],
        ['Credits invoice', note.invoiceNumber],
        ...(note.refundId === null ? [] : ([['Refund', note.refundId]] as const)),
      ],
      columns: [
        { label: 'Description', width: 255, align: 'left' },
        { label: 'Rate', width: 50, align: 'right' },
        { label: 'Net', width: 65, align: 'right' },
        { label: 'Tax', width: 60, align: 'right' },
        { label: 'Total', width: 65, align: 'right' },
      ],
      rows: note.lines.map((line) => ({
        cells: [
          `Credit on invoice ${note.invoiceNumber}`,
          f.rate(line.rateBps),
          f.money(line.subtotal),
          f.money(line.tax),
          f.money(line.total),
        ],
      })),
      taxes: note.lines.map(
        (line) => [f.rate(line.rateBps), f.money(line.subtotal), f.money(line.tax)] as const,
      ),
      totals: [
        { label: 'Subtotal', value: f.money(note.totals.subtotal) },
        { label: 'Tax', value: f.money(note.totals.tax) },
        { label: 'Total credited', value: f.money(note.totals.total), strong: true },
      ],
      remark: `Reason: ${note.reason}`,
      metadata: { title: `Credit note ${note.number}`, subject: `Invoice ${note.invoiceNumber}` },
    });
    return { filename: safeFilename(note.number), content };
  }
}
