// Deterministic legacy data: every row comes from a PRNG seeded by (seed, table, row number), so
// the same scale and seed give the same rows, any row can be rebuilt alone, and tables stream
// one row at a time whatever the scale.
import { AMBIGUOUS_ORDER_DATE, DIRTY, MISSING_CUSTOMER_ID, dirtyRows, type DirtyRow } from './dirty-rows.ts';
import type { LegacyTableName } from './legacy-schema.ts';
import { createRandom, mixSeed, pick, randomInt, type Random } from './prng.ts';
import { addDays, formatDate, formatDateTime, startOfDay, wallMs } from './wall-clock.ts';

/** A value as the loaders write it: integers as numbers, decimals and date/times as text. */
export type LegacyValue = string | number | null;
/** One legacy row, keyed by column name. */
export type LegacyRow = Readonly<Record<string, LegacyValue>>;

/** The seed used when none is given. */
export const DEFAULT_SEED = 1977;
/** Smallest scale: every dirty row needs its customers and orders to exist. */
export const MIN_SCALE = 12;
/** Largest scale: customer ids must stay below the missing customer's id. */
export const MAX_SCALE = 5_000_000;

/** Row counts that follow from the scale alone (the rest depend on the generated data). */
export interface LegacyAcmeSize {
  readonly customers: number;
  readonly products: number;
  readonly orders: number;
}

/** Customers = scale, products = scale / 2 (at least 10), orders = 3 × scale with 1–5 lines each. */
export function legacyAcmeSize(scale: number): LegacyAcmeSize {
  return { customers: scale, products: Math.max(10, Math.ceil(scale / 2)), orders: 3 * scale };
}

/** Order numbers start after this one. */
export const FIRST_ORDER_NO = 100_001;

const TABLE_SALT: Record<'customer' | 'product' | 'stock' | 'order', number> = {
  customer: 1,
  product: 2,
  stock: 3,
  order: 4,
};

const FIRST_NAMES = [
  'Anna',
  'Jürgen',
  'Lena',
  'Mehmet',
  'Sofia',
  'Lukas',
  'Marie',
  'Jonas',
  'Emma',
  'Paul',
  'Zoë',
  'Björn',
  'Hannah',
  'Felix',
  'Amira',
  'Tobias',
  'Clara',
  'Nils',
  'Ida',
  'Karl',
];
const LAST_NAMES = [
  'Müller',
  'Schmidt',
  'Schneider',
  'Fischer',
  'Weber',
  'Meyer',
  'Wagner',
  'Becker',
  'Schäfer',
  'Koch',
  'Richter',
  'Klein',
  'Wolf',
  'Schröder',
  'Neumann',
  'Braun',
  'Zimmermann',
  'Krüger',
  'Hofmann',
  'Hartmann',
  'Yılmaz',
  'Kowalski',
  'Novak',
  'Rossi',
];
const COMPANY_SUFFIXES = ['GmbH', 'KG', 'AG', 'GmbH & Co. KG', 'e.K.', 'OHG'];
const AREA_CODES = ['030', '040', '089', '0221', '069', '0711', '0211', '0341'];

interface Category {
  readonly code: string;
  readonly nouns: readonly string[];
  readonly cents: readonly [number, number];
  readonly taxCodes: readonly string[];
}
const CATEGORIES: readonly Category[] = [
  {
    code: 'CF',
    nouns: ['Espresso Beans', 'Filter Coffee', 'Decaf Beans', 'Single Origin Beans', 'Cold Brew Blend'],
    cents: [690, 3490],
    taxCodes: ['R'],
  },
  {
    code: 'TE',
    nouns: ['Green Tea', 'Black Tea', 'Herbal Infusion', 'Chai Blend', 'Oolong'],
    cents: [390, 1990],
    taxCodes: ['R'],
  },
  {
    code: 'EQ',
    nouns: ['Hand Grinder', 'Pour-Over Kettle', 'French Press', 'Moka Pot', 'Milk Frother'],
    cents: [1990, 24900],
    taxCodes: ['S'],
  },
  {
    code: 'AC',
    nouns: ['Filter Papers', 'Travel Mug', 'Tamper', 'Gift Voucher', 'Cleaning Tablets'],
    cents: [290, 4990],
    taxCodes: ['S', 'S', 'S', 'Z'],
  },
];
const ADJECTIVES = ['Classic', 'Dark', 'Organic', 'House', 'Premium', 'Fair', 'Mild', 'Bold'];
const SIZES = ['250 g', '500 g', '1 kg', '', ''];
const DESCRIPTIONS = [
  'Roasted in small batches.',
  'A customer favourite since 2009.',
  'Limited stock - ask the warehouse before promising dates.',
  'Ships in recyclable packaging.',
];
const TAX_RATES: Readonly<Record<string, { text: string; bps: number }>> = {
  S: { text: '19.00', bps: 1900 },
  R: { text: '7.00', bps: 700 },
  Z: { text: '0.00', bps: 0 },
};
const WAREHOUSES: readonly { code: string; share: number }[] = [
  { code: 'BER1', share: 1 },
  { code: 'HAM1', share: 0.5 },
  { code: 'MUC1', share: 0.3 },
  // Write-off bin: the mapping filters it out.
  { code: 'DEAD', share: 0.05 },
];
const STATUSES: readonly (readonly [string, number])[] = [
  ['N', 0.05],
  ['P', 0.1],
  ['S', 0.2],
  ['D', 0.55],
  ['X', 0.1],
];
/** The legacy code table for ORD_STATUS. */
export const ORDER_STATUS_CODES: readonly LegacyRow[] = [
  { STATUS_CD: 'N', DESCRIPTION: 'New', SORT_SEQ: 10 },
  { STATUS_CD: 'P', DESCRIPTION: 'In process', SORT_SEQ: 20 },
  { STATUS_CD: 'S', DESCRIPTION: 'Shipped', SORT_SEQ: 30 },
  { STATUS_CD: 'D', DESCRIPTION: 'Delivered', SORT_SEQ: 40 },
  { STATUS_CD: 'X', DESCRIPTION: 'Cancelled', SORT_SEQ: 90 },
];
const REMARKS = [
  'Bitte vor 10 Uhr liefern',
  'Leave at the back door  ',
  'Invoice to head office',
  'Call before delivery',
  'Gift wrap, no prices on the slip',
];
const PAY_METHODS = ['CC', 'BT', 'PP', 'CA'];

const CUSTOMER_EPOCH = wallMs(2015, 1, 1);
const ORDER_EPOCH = wallMs(2019, 1, 1);
const ORDER_DAYS = 2_007; // to the end of June 2024

/** Decimal text of an integer amount with `scale` digits after the point: (1250, 2) → 12.50. */
export function decimalText(units: number, scale: number): string {
  const sign = units < 0 ? '-' : '';
  const digits = String(Math.abs(units)).padStart(scale + 1, '0');
  return `${sign}${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
}

/** `units × bps / 10 000`, rounded half away from zero (integers stay exact at these sizes). */
function applyRate(units: number, bps: number): number {
  const raw = (Math.abs(units) * bps) / 10_000;
  const rounded = Math.floor(raw + 0.5);
  return units < 0 ? -rounded : rounded;
}

/** ASCII slug for e-mail local parts: "Jürgen" → "juergen". */
function slug(text: string): string {
  return text
    .toLowerCase()
    .replaceAll('ä', 'ae')
    .replaceAll('ö', 'oe')
    .replaceAll('ü', 'ue')
    .replaceAll('ß', 'ss')
    .replaceAll('ı', 'i')
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '');
}

/** A time of day in office hours: never in the 02:00–03:00 hour that DST skips or repeats. */
function officeTime(random: Random): number {
  return ((randomInt(random, 7, 19) * 60 + randomInt(random, 0, 59)) * 60 + randomInt(random, 0, 59)) * 1000;
}

/** A product as the order lines need it. */
interface ProductFacts {
  readonly sku: string;
  readonly name: string;
  readonly mills: number;
  readonly taxCode: string;
}

/** An order with everything that hangs off it. */
export interface LegacyOrder {
  readonly order: LegacyRow;
  readonly lines: readonly LegacyRow[];
  readonly invoice: LegacyRow | null;
  readonly payments: readonly LegacyRow[];
}

/** The legacy ACME data set for one scale and seed. */
export class LegacyAcmeGenerator {
  readonly scale: number;
  readonly seed: number;
  readonly size: LegacyAcmeSize;

  constructor(options: { scale: number; seed?: number }) {
    const { scale, seed = DEFAULT_SEED } = options;
    if (!Number.isSafeInteger(scale) || scale < MIN_SCALE || scale > MAX_SCALE) {
      throw new RangeError(`scale must be an integer from ${MIN_SCALE} to ${MAX_SCALE}, got ${scale}`);
    }
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
    this.scale = scale;
    this.seed = seed;
    this.size = legacyAcmeSize(scale);
  }

  private random(table: keyof typeof TABLE_SALT, n: number): Random {
    return createRandom(mixSeed(this.seed, TABLE_SALT[table], n));
  }

  /** The dirty rows of this data set (the SKU of the three-decimal product depends on the seed). */
  dirtyRows(): DirtyRow[] {
    return dirtyRows(this.productFacts(DIRTY.threeDecimalProduct).sku);
  }

  /** Rows of one table, one at a time, in primary-key order of generation. */
  *rows(table: LegacyTableName): Generator<LegacyRow> {
    switch (table) {
      case 'ORD_STATUS_CODES':
        yield* ORDER_STATUS_CODES;
        return;
      case 'CUSTOMERS':
        for (let i = 1; i <= this.size.customers; i++) yield this.customer(i);
        return;
      case 'PRODUCTS':
        for (let j = 1; j <= this.size.products; j++) yield this.product(j);
        return;
      case 'STOCK':
        for (let j = 1; j <= this.size.products; j++) yield* this.stock(j);
        return;
      case 'ORDERS':
        for (let i = 0; i < this.size.orders; i++) yield this.order(FIRST_ORDER_NO + i).order;
        return;
      case 'ORDER_LINES':
        for (let i = 0; i < this.size.orders; i++) yield* this.order(FIRST_ORDER_NO + i).lines;
        return;
      case 'INVOICES':
        for (let i = 0; i < this.size.orders; i++) {
          const { invoice } = this.order(FIRST_ORDER_NO + i);
          if (invoice !== null) yield invoice;
        }
        return;
      case 'PAYMENTS':
        for (let i = 0; i < this.size.orders; i++) yield* this.order(FIRST_ORDER_NO + i).payments;
        return;
    }
  }

  /** Customer `id` (1 … scale). */
  customer(id: number): LegacyRow {
    const r = this.random('customer', id);
    const first = pick(r, FIRST_NAMES);
    const last = pick(r, LAST_NAMES);
    const company = r() < 0.3;
    let name = company ? `${last} ${pick(r, COMPANY_SUFFIXES)}` : `${first} ${last}`;
    let email: string | null = company
      ? `orders.${id}@${slug(last)}-trading.example`
      : `${slug(first)}.${slug(last)}.${id}@example.com`;
    const hasPhone = r() < 0.85;
    let phoneArea = hasPhone ? pick(r, AREA_CODES) : null;
    let phoneNum = hasPhone ? String(randomInt(r, 100_000, 9_999_999)) : null;
    const active = r() < 0.92 ? 'A' : 'I';
    const creditLimit = company ? decimalText(randomInt(r, 2, 100) * 50_000, 2) : '0.00';
    const created = CUSTOMER_EPOCH + randomInt(r, 0, 4 * 365) * 86_400_000 + officeTime(r);
    const updatedDays = randomInt(r, 0, 1_500);
    const updated = updatedDays === 0 ? created : addDays(startOfDay(created), updatedDays) + officeTime(r);

    if (id === DIRTY.blankNameCustomer) name = '    ';
    if (id === DIRTY.invalidEmailCustomer) email = 'k.novak(at)example.com';
    if (id === DIRTY.paddedCustomer) {
      name = `  ${name}   `;
      email = `  Orders.${id}@Keller-Soehne.Example `;
    }
    if (id === DIRTY.blankPhoneCustomer) {
      phoneArea = '';
      phoneNum = '   ';
    }
    return {
      CUST_ID: id,
      CUST_NAME: name,
      EMAIL: email,
      PHONE_AREA: phoneArea,
      PHONE_NUM: phoneNum,
      CUST_TYPE: company ? 'W' : 'R',
      ACTIVE_FLAG: active,
      CREDIT_LIMIT: creditLimit,
      CREATED_DT: formatDateTime(created),
      LAST_UPDATED: formatDateTime(updated),
    };
  }

  private productFacts(n: number): ProductFacts & { random: Random; category: Category } {
    const r = this.random('product', n);
    const category = pick(r, CATEGORIES);
    const size = pick(r, SIZES);
    const name = `${pick(r, ADJECTIVES)} ${pick(r, category.nouns)}${size === '' ? '' : ` ${size}`}`;
    const [low, high] = category.cents;
    // Prices end in 0 or 5 cents, stored with three decimals (the third always 0) …
    let mills = Math.round(randomInt(r, low, high) / 5) * 50;
    // … except the dirty product.
    if (n === DIRTY.threeDecimalProduct) mills = 12_345;
    return {
      sku: `${category.code}-${String(n).padStart(6, '0')}`,
      name,
      mills,
      taxCode: pick(r, category.taxCodes),
      random: r,
      category,
    };
  }

  /** Product number `n` (1 … size.products); its key is the SKU. */
  product(n: number): LegacyRow {
    const facts = this.productFacts(n);
    const r = facts.random;
    const description = r() < 0.7 ? pick(r, DESCRIPTIONS) : null;
    const discontinued = r() < 0.08 ? 'Y' : 'N';
    const updated = wallMs(2018, 1, 1) + randomInt(r, 0, 6 * 365) * 86_400_000 + officeTime(r);
    return {
      SKU: facts.sku,
      PROD_NAME: facts.name,
      PROD_DESC: description,
      LIST_PRICE: decimalText(facts.mills, 3),
      CURRENCY_CD: 'EUR',
      TAX_CODE: facts.taxCode,
      DISCONTINUED: discontinued,
      LAST_UPDATED: formatDateTime(updated),
    };
  }

  /** Stock rows of product `n`: one per warehouse that carries it. */
  stock(n: number): LegacyRow[] {
    const { sku } = this.productFacts(n);
    const r = this.random('stock', n);
    const rows: LegacyRow[] = [];
    for (const warehouse of WAREHOUSES) {
      if (r() >= warehouse.share) continue;
      const counted = r() < 0.8;
      const countDay = wallMs(2024, 1, 1) + randomInt(r, 0, 180) * 86_400_000;
      rows.push({
        SKU: sku,
        WH_CODE: warehouse.code,
        QTY_ON_HAND: randomInt(r, 0, 500),
        REORDER_LVL: randomInt(r, 1, 5) * 10,
        LAST_COUNT_DT: counted ? formatDate(countDay) : null,
      });
    }
    return rows;
  }

  /** Order `orderNo` (FIRST_ORDER_NO …) with its lines, invoice and payments. */
  order(orderNo: number): LegacyOrder {
    const index = orderNo - FIRST_ORDER_NO;
    const r = this.random('order', orderNo);
    let customerId = randomInt(r, 1, this.size.customers);
    const day = Math.floor((index * ORDER_DAYS) / this.size.orders);
    let placed = ORDER_EPOCH + day * 86_400_000 + officeTime(r);
    let status = STATUSES[STATUSES.length - 1]?.[0] ?? 'D';
    const roll = r();
    let cumulative = 0;
    for (const [code, weight] of STATUSES) {
      cumulative += weight;
      if (roll < cumulative) {
        status = code;
        break;
      }
    }
    const shipFlag = r() < 0.3 ? 'Y' : 'N';
    const remarks = r() < 0.25 ? pick(r, REMARKS) : null;

    if (orderNo === DIRTY.missingCustomerOrder) customerId = MISSING_CUSTOMER_ID;
    if (orderNo === DIRTY.unknownStatusOrder) status = 'Z';
    if (orderNo === DIRTY.ambiguousTimeOrder) placed = wallMs(2023, 10, 29, 2, 30, 0);
    const placedText = orderNo === DIRTY.ambiguousTimeOrder ? AMBIGUOUS_ORDER_DATE : formatDateTime(placed);
    const updated = addDays(placed, randomInt(r, 0, 20));

    let lineCount = randomInt(r, 1, 5);
    if (orderNo === DIRTY.negativeQuantityOrder) lineCount = Math.max(lineCount, DIRTY.negativeQuantityLine);
    const lines: LegacyRow[] = [];
    let net = 0;
    let tax = 0;
    for (let lineNo = 1; lineNo <= lineCount; lineNo++) {
      const product = this.productFacts(randomInt(r, 1, this.size.products));
      let quantity = randomInt(r, 1, 10);
      if (orderNo === DIRTY.negativeQuantityOrder && lineNo === DIRTY.negativeQuantityLine) quantity = -1;
      // Lines keep cents: the app rounded the list price half up when it copied it.
      const unitCents = Math.floor((product.mills + 5) / 10);
      const rate = TAX_RATES[product.taxCode] ?? { text: '19.00', bps: 1900 };
      const amount = unitCents * quantity;
      net += amount;
      tax += applyRate(amount, rate.bps);
      lines.push({
        ORDER_NO: orderNo,
        LINE_NO: lineNo,
        SKU: product.sku,
        DESCR: product.name,
        QTY: quantity,
        UNIT_PRICE: decimalText(unitCents, 2),
        TAX_RATE: rate.text,
        LINE_AMT: decimalText(amount, 2),
        LAST_UPDATED: formatDateTime(updated),
      });
    }
    const gross = net + tax;
    const order: LegacyRow = {
      ORDER_NO: orderNo,
      CUST_ID: customerId,
      ORDER_DATE: placedText,
      ORD_STATUS: status,
      CURRENCY_CD: 'EUR',
      NET_AMT: decimalText(net, 2),
      TAX_AMT: decimalText(tax, 2),
      GROSS_AMT: decimalText(gross, 2),
      SHIP_FLAG: shipFlag,
      REMARKS: remarks,
      LAST_UPDATED: formatDateTime(updated),
    };

    if (status !== 'S' && status !== 'D') return { order, lines, invoice: null, payments: [] };

    const invoiced = addDays(startOfDay(placed), 1) + officeTime(r);
    const paid = status === 'D' || r() < 0.6;
    const payments: LegacyRow[] = [];
    let lastChange = invoiced;
    if (paid) {
      const split = gross > 1 && r() < 0.2;
      const parts = split ? [Math.floor(gross / 2), gross - Math.floor(gross / 2)] : [gross];
      let payDay = startOfDay(invoiced);
      parts.forEach((cents, k) => {
        payDay = addDays(payDay, randomInt(r, 1, 20));
        const paidAt = payDay + officeTime(r);
        lastChange = paidAt;
        const method = pick(r, PAY_METHODS);
        const hex = [randomInt(r, 0, 0xfffff), randomInt(r, 0, 0xfffff)]
          .map((part) => part.toString(16).toUpperCase().padStart(5, '0'))
          .join('');
        payments.push({
          PAY_ID: orderNo * 10 + k + 1,
          INVOICE_NO: '',
          PAY_DATE: formatDateTime(paidAt),
          AMOUNT: decimalText(cents, 2),
          CURRENCY_CD: 'EUR',
          PAY_METHOD: method,
          REFERENCE: method === 'CA' ? null : method === 'BT' ? `SEPA ${hex}` : `TX${hex}`,
          LAST_UPDATED: formatDateTime(paidAt),
        });
      });
    }
    const invoiceNo = `INV-${formatDate(invoiced).slice(0, 4)}-${orderNo}`;
    const invoice: LegacyRow = {
      INVOICE_NO: invoiceNo,
      ORDER_NO: orderNo,
      INV_DATE: formatDateTime(invoiced),
      DUE_DATE: formatDate(addDays(invoiced, 30)),
      CURRENCY_CD: 'EUR',
      NET_AMT: decimalText(net, 2),
      TAX_AMT: decimalText(tax, 2),
      GROSS_AMT: decimalText(gross, 2),
      PAID_FLAG: paid ? 'Y' : 'N',
      LAST_UPDATED: formatDateTime(lastChange),
    };
    return {
      order,
      lines,
      invoice,
      payments: payments.map((payment) => ({ ...payment, INVOICE_NO: invoiceNo })),
    };
  }
}
