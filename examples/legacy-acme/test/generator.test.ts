// The generator: deterministic, streaming, consistent with its own schema, and dirty exactly where
// the README says.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  AMBIGUOUS_ORDER_DATE,
  DIRTY,
  FIRST_ORDER_NO,
  LEGACY_TABLES,
  LEGACY_TABLE_NAMES,
  LegacyAcmeGenerator,
  MAX_SCALE,
  MIN_SCALE,
  MISSING_CUSTOMER_ID,
  decimalText,
  legacyAcmeSize,
  legacyTable,
  type LegacyRow,
  type LegacyTableName,
} from '../src/index.ts';

function digest(generator: LegacyAcmeGenerator, table: LegacyTableName): string {
  const hash = createHash('sha256');
  for (const row of generator.rows(table)) hash.update(JSON.stringify(row));
  return hash.digest('hex');
}

const cents = (text: unknown) => {
  const [whole = '0', fraction = ''] = String(text).replace('-', '').split('.');
  const value = Number(whole) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2));
  return String(text).startsWith('-') ? -value : value;
};

describe('LegacyAcmeGenerator', () => {
  const generator = new LegacyAcmeGenerator({ scale: 200 });
  const rowsOf = (table: LegacyTableName) => [...generator.rows(table)];

  it('gives identical rows for the same scale and seed, different rows for another seed', () => {
    const again = new LegacyAcmeGenerator({ scale: 200 });
    const otherSeed = new LegacyAcmeGenerator({ scale: 200, seed: 7 });
    for (const table of LEGACY_TABLE_NAMES) {
      expect(digest(again, table), table).toBe(digest(generator, table));
    }
    expect(digest(otherSeed, 'ORDER_LINES')).not.toBe(digest(generator, 'ORDER_LINES'));
  });

  it('makes each row from its own number: a row is the same whatever the scale', () => {
    const bigger = new LegacyAcmeGenerator({ scale: 400 });
    expect(bigger.customer(17)).toEqual(generator.customer(17));
    expect(bigger.product(33)).toEqual(generator.product(33));
  });

  it('has the sizes the scale promises', () => {
    expect(legacyAcmeSize(200)).toEqual({ customers: 200, products: 100, orders: 600 });
    expect(rowsOf('CUSTOMERS')).toHaveLength(200);
    expect(rowsOf('PRODUCTS')).toHaveLength(100);
    expect(rowsOf('ORDERS')).toHaveLength(600);
    const lines = rowsOf('ORDER_LINES').length;
    expect(lines).toBeGreaterThanOrEqual(600);
    expect(lines).toBeLessThanOrEqual(3000);
  });

  it('streams: the first rows of the largest scale come without building the rest', () => {
    const huge = new LegacyAcmeGenerator({ scale: MAX_SCALE });
    const lines = huge.rows('ORDER_LINES');
    const first = lines.next();
    expect(first.done).toBe(false);
    expect(first.value).toMatchObject({ ORDER_NO: FIRST_ORDER_NO, LINE_NO: 1 });
    lines.return(undefined);
  });

  it('fills every column of every table, with NOT NULL columns never null', () => {
    for (const table of LEGACY_TABLES) {
      for (const row of generator.rows(table.name)) {
        expect(Object.keys(row)).toEqual(table.columns.map((c) => c.name));
        for (const column of table.columns) {
          if (!column.nullable) expect(row[column.name], `${table.name}.${column.name}`).not.toBeNull();
        }
      }
    }
  });

  it('has unique primary keys, including the composite and string ones', () => {
    for (const table of LEGACY_TABLES) {
      const keys = rowsOf(table.name).map((row) => JSON.stringify(table.primaryKey.map((c) => row[c])));
      expect(new Set(keys).size, table.name).toBe(keys.length);
    }
  });

  it('keeps its own arithmetic: line amounts, order totals, invoice totals, payments', () => {
    const linesByOrder = new Map<unknown, LegacyRow[]>();
    for (const line of generator.rows('ORDER_LINES')) {
      expect(cents(line.LINE_AMT)).toBe(cents(line.UNIT_PRICE) * Number(line.QTY));
      linesByOrder.set(line.ORDER_NO, [...(linesByOrder.get(line.ORDER_NO) ?? []), line]);
    }
    const orders = new Map(rowsOf('ORDERS').map((order) => [order.ORDER_NO, order]));
    for (const [orderNo, order] of orders) {
      const net = (linesByOrder.get(orderNo) ?? []).reduce((sum, line) => sum + cents(line.LINE_AMT), 0);
      expect(cents(order.NET_AMT)).toBe(net);
      expect(cents(order.GROSS_AMT)).toBe(cents(order.NET_AMT) + cents(order.TAX_AMT));
    }
    const paid = new Map<unknown, number>();
    for (const payment of generator.rows('PAYMENTS')) {
      paid.set(payment.INVOICE_NO, (paid.get(payment.INVOICE_NO) ?? 0) + cents(payment.AMOUNT));
    }
    for (const invoice of generator.rows('INVOICES')) {
      const order = orders.get(invoice.ORDER_NO);
      expect(['S', 'D']).toContain(order?.ORD_STATUS);
      expect(invoice.GROSS_AMT).toBe(order?.GROSS_AMT);
      expect(paid.get(invoice.INVOICE_NO) ?? 0).toBe(
        invoice.PAID_FLAG === 'Y' ? cents(invoice.GROSS_AMT) : 0,
      );
    }
  });

  it('refers only to existing rows, except the deliberate orphan', () => {
    const customers = new Set(rowsOf('CUSTOMERS').map((row) => row.CUST_ID));
    const skus = new Set(rowsOf('PRODUCTS').map((row) => row.SKU));
    const orphans = rowsOf('ORDERS').filter((row) => !customers.has(row.CUST_ID));
    expect(orphans.map((row) => [row.ORDER_NO, row.CUST_ID])).toEqual([
      [DIRTY.missingCustomerOrder, MISSING_CUSTOMER_ID],
    ]);
    for (const line of generator.rows('ORDER_LINES')) expect(skus.has(line.SKU)).toBe(true);
    for (const stock of generator.rows('STOCK')) expect(skus.has(stock.SKU)).toBe(true);
  });

  it('writes local office-hours times, so only the deliberate row falls in a daylight-saving hour', () => {
    const inDstHour = rowsOf('ORDERS').filter((row) => String(row.ORDER_DATE).slice(11, 13) === '02');
    expect(inDstHour.map((row) => row.ORDER_NO)).toEqual([DIRTY.ambiguousTimeOrder]);
    for (const row of generator.rows('CUSTOMERS'))
      expect(String(row.CREATED_DT)).toMatch(/^\d{4}-\d\d-\d\d (0[7-9]|1\d):\d\d:\d\d$/);
  });

  it('has the dirty rows the README lists', () => {
    expect(generator.customer(DIRTY.blankNameCustomer).CUST_NAME).toBe('    ');
    expect(generator.customer(DIRTY.invalidEmailCustomer).EMAIL).toBe('k.novak(at)example.com');
    expect(generator.customer(DIRTY.paddedCustomer).CUST_NAME).toMatch(/^ {2}\S.*\S {3}$/);
    expect(generator.customer(DIRTY.blankPhoneCustomer)).toMatchObject({ PHONE_AREA: '', PHONE_NUM: '   ' });
    expect(generator.product(DIRTY.threeDecimalProduct).LIST_PRICE).toBe('12.345');
    const negative = generator.order(DIRTY.negativeQuantityOrder).lines[DIRTY.negativeQuantityLine - 1];
    expect(negative).toMatchObject({ LINE_NO: DIRTY.negativeQuantityLine, QTY: -1 });
    expect(generator.order(DIRTY.unknownStatusOrder).order.ORD_STATUS).toBe('Z');
    expect(generator.order(DIRTY.ambiguousTimeOrder).order.ORDER_DATE).toBe(AMBIGUOUS_ORDER_DATE);
    const dirty = generator.dirtyRows();
    expect(dirty).toHaveLength(9);
    for (const row of dirty) {
      expect(legacyTable(row.table).columns.map((c) => c.name)).toContain(row.column);
      expect(row.key).toHaveLength(legacyTable(row.table).primaryKey.length);
    }
  });

  it('keeps three decimals on list prices, with a zero third decimal except the dirty product', () => {
    const prices = rowsOf('PRODUCTS').map((row) => String(row.LIST_PRICE));
    expect(prices.every((price) => /^\d+\.\d{3}$/.test(price))).toBe(true);
    expect(prices.filter((price) => !price.endsWith('0'))).toEqual(['12.345']);
  });

  it('refuses scales it cannot honour', () => {
    expect(() => new LegacyAcmeGenerator({ scale: MIN_SCALE - 1 })).toThrow(RangeError);
    expect(() => new LegacyAcmeGenerator({ scale: MAX_SCALE + 1 })).toThrow(RangeError);
    expect(() => new LegacyAcmeGenerator({ scale: 12.5 })).toThrow(RangeError);
  });

  it('formats decimal text exactly', () => {
    expect(decimalText(1250, 2)).toBe('12.50');
    expect(decimalText(-5, 2)).toBe('-0.05');
    expect(decimalText(12_345, 3)).toBe('12.345');
    expect(decimalText(0, 2)).toBe('0.00');
  });
});
