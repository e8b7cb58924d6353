// Request bodies with sensible, unique defaults; tests override only what they are about.
import { randomBytes } from 'node:crypto';

let sequence = 0;

/** A short token unique within the test run. */
export function unique(prefix = 'x'): string {
  sequence += 1;
  return `${prefix}-${String(sequence)}-${randomBytes(3).toString('hex')}`;
}

/** A SKU unique within the test run. */
export function aSku(prefix = 'SKU'): string {
  return unique(prefix).toUpperCase();
}

/** The body of POST /products. */
export interface ProductBody {
  sku?: string;
  name?: string;
  description?: string | null;
  price?: { amount: number; currency: string };
  taxClass?: string;
  attributes?: Record<string, unknown>;
  imageUrls?: string[];
  status?: 'draft' | 'active' | 'archived';
  categoryIds?: string[];
}

export function aProductBody(overrides: ProductBody = {}): ProductBody {
  return {
    sku: aSku(),
    name: 'Espresso beans 250 g',
    description: 'Dark roast',
    price: { amount: 1290, currency: 'EUR' },
    taxClass: 'reduced',
    attributes: { roast: 'dark', weightGrams: 250 },
    imageUrls: ['https://images.example.com/espresso.png'],
    status: 'active',
    ...overrides,
  };
}
