// The deliberately dirty rows of the legacy data, at fixed keys for every scale and seed, so tests
// and the README can point at them. Documented in README.md ("Dirty rows").
import type { LegacyTableName } from './legacy-schema.ts';

/** A customer number no customer has: ids run from 1 to the scale, which is capped below it. */
export const MISSING_CUSTOMER_ID = 9_999_999;

/** How a dirty row should come out of the example's mapping.yaml. */
export interface DirtyRowOutcome {
  /** Rejected (to quarantine) for this field and rule, or accepted after cleaning. */
  readonly kind: 'rejected' | 'cleaned';
  readonly entity: string;
  readonly field: string;
  readonly rule?: string;
}

/** One dirty row: where it is, what is wrong, and what the mapping makes of it. */
export interface DirtyRow {
  readonly table: LegacyTableName;
  /** Primary-key values in key-column order. */
  readonly key: readonly (string | number)[];
  readonly column: string;
  readonly problem: string;
  readonly outcome: DirtyRowOutcome;
}

/** Customer ids, order numbers and product numbers of the dirty rows. */
export const DIRTY = {
  blankNameCustomer: 3,
  invalidEmailCustomer: 5,
  paddedCustomer: 8,
  blankPhoneCustomer: 10,
  threeDecimalProduct: 4,
  negativeQuantityOrder: 100_002,
  negativeQuantityLine: 2,
  missingCustomerOrder: 100_006,
  unknownStatusOrder: 100_009,
  ambiguousTimeOrder: 100_011,
} as const;

/** Local time of the ambiguous order: 02:30 happened twice in Berlin that night (CEST → CET). */
export const AMBIGUOUS_ORDER_DATE = '2023-10-29 02:30:00';

/** The SKU of product number `n` is only known to the generator; it fills this list in. */
export function dirtyRows(threeDecimalSku: string): DirtyRow[] {
  return [
    {
      table: 'CUSTOMERS',
      key: [DIRTY.blankNameCustomer],
      column: 'CUST_NAME',
      problem: 'name is only spaces',
      outcome: { kind: 'rejected', entity: 'customers', field: 'name', rule: 'required' },
    },
    {
      table: 'CUSTOMERS',
      key: [DIRTY.invalidEmailCustomer],
      column: 'EMAIL',
      problem: 'e-mail written as "name(at)domain"',
      outcome: { kind: 'rejected', entity: 'customers', field: 'email', rule: 'email' },
    },
    {
      table: 'CUSTOMERS',
      key: [DIRTY.paddedCustomer],
      column: 'CUST_NAME',
      problem: 'name and e-mail padded with spaces, e-mail in mixed case',
      outcome: { kind: 'cleaned', entity: 'customers', field: 'name' },
    },
    {
      table: 'CUSTOMERS',
      key: [DIRTY.blankPhoneCustomer],
      column: 'PHONE_NUM',
      problem: 'phone area empty and number only spaces',
      outcome: { kind: 'cleaned', entity: 'customers', field: 'phone' },
    },
    {
      table: 'PRODUCTS',
      key: [threeDecimalSku],
      column: 'LIST_PRICE',
      problem: 'price with three significant decimals (12.345 EUR)',
      outcome: { kind: 'rejected', entity: 'products', field: 'priceAmount', rule: 'money_scale' },
    },
    {
      table: 'ORDER_LINES',
      key: [DIRTY.negativeQuantityOrder, DIRTY.negativeQuantityLine],
      column: 'QTY',
      problem: 'negative quantity (a return typed in as an order line)',
      outcome: { kind: 'rejected', entity: 'orderLines', field: 'quantity', rule: 'min' },
    },
    {
      table: 'ORDERS',
      key: [DIRTY.missingCustomerOrder],
      column: 'CUST_ID',
      problem: `customer ${MISSING_CUSTOMER_ID} does not exist (no foreign key in the legacy schema)`,
      outcome: { kind: 'rejected', entity: 'orders', field: 'customerId', rule: 'ref' },
    },
    {
      table: 'ORDERS',
      key: [DIRTY.unknownStatusOrder],
      column: 'ORD_STATUS',
      problem: "status code 'Z' is not in ORD_STATUS_CODES",
      outcome: { kind: 'rejected', entity: 'orders', field: 'status', rule: 'lookup' },
    },
    {
      table: 'ORDERS',
      key: [DIRTY.ambiguousTimeOrder],
      column: 'ORDER_DATE',
      problem: `local time ${AMBIGUOUS_ORDER_DATE} happened twice (end of summer time in Berlin)`,
      outcome: { kind: 'cleaned', entity: 'orders', field: 'placedAt' },
    },
  ];
}
