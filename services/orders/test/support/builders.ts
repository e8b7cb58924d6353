// Request bodies with sensible, unique defaults; tests override only what they are about.
import { randomBytes } from 'node:crypto';

/** The body of POST /customers. */
export interface CustomerBody {
  email: string;
  name: string;
  phone?: string | null;
}

/** One line of POST /orders. */
export interface LineBody {
  sku: string;
  name: string;
  quantity: number;
  unitPrice: number;
  taxRateBps?: number;
}

/** The body of POST /orders. */
export interface OrderBody {
  customerId: string;
  currency: string;
  lines: LineBody[];
  notes?: string | null;
}

let sequence = 0;

/** A short token unique within the test run, for emails, names and idempotency keys. */
export function unique(prefix = 'x'): string {
  sequence += 1;
  return `${prefix}-${sequence}-${randomBytes(4).toString('hex')}`;
}

export function aCustomerBody(overrides: Partial<CustomerBody> = {}): CustomerBody {
  const token = unique('cust');
  return { email: `${token}@example.com`, name: `Customer ${token}`, phone: '+49 30 1234567', ...overrides };
}

export function aLine(overrides: Partial<LineBody> = {}): LineBody {
  return {
    sku: 'COF-ESP-250',
    name: 'Espresso beans 250 g',
    quantity: 1,
    unitPrice: 1290,
    taxRateBps: 700,
    ...overrides,
  };
}

/**
 * Three lines whose totals are known exactly (tax per line, rounded half away from zero):
 *
 * | line | qty × unit  | subtotal | rate  | exact tax | tax | total |
 * |------|-------------|----------|-------|-----------|-----|-------|
 * | 1    | 3 × 1290    | 3870     | 7 %   | 270.9     | 271 | 4141  |
 * | 2    | 1 × 1490    | 1490     | 19 %  | 283.1     | 283 | 1773  |
 * | 3    | 2 × 225     | 450      | 19 %  | 85.5      | 86  | 536   |
 * | sum  |             | 5810     |       |           | 640 | 6450  |
 */
export const THREE_LINES: readonly LineBody[] = [
  { sku: 'COF-ESP-250', name: 'Espresso beans 250 g', quantity: 3, unitPrice: 1290, taxRateBps: 700 },
  { sku: 'MUG-CER-350', name: 'Ceramic mug 350 ml', quantity: 1, unitPrice: 1490, taxRateBps: 1900 },
  { sku: 'FLT-PAP-100', name: 'Paper filters (100)', quantity: 2, unitPrice: 225, taxRateBps: 1900 },
];

export const THREE_LINES_AMOUNTS = {
  lines: [
    { subtotal: 3870, tax: 271, total: 4141 },
    { subtotal: 1490, tax: 283, total: 1773 },
    { subtotal: 450, tax: 86, total: 536 },
  ],
  totals: { subtotal: 5810, tax: 640, grandTotal: 6450 },
} as const;

export function anOrderBody(customerId: string, overrides: Partial<OrderBody> = {}): OrderBody {
  return {
    customerId,
    currency: 'EUR',
    lines: THREE_LINES.map((line) => ({ ...line })),
    notes: 'Leave at the door',
    ...overrides,
  };
}
