import type { EventDefinition } from './envelope.ts';
import * as catalog from './events/catalog/index.ts';
import * as identity from './events/identity/index.ts';
import * as invoices from './events/invoices/index.ts';
import * as migration from './events/migration/index.ts';
import * as orders from './events/orders/index.ts';
import * as payments from './events/payments/index.ts';

function definitionsOf(module: Record<string, unknown>): EventDefinition[] {
  return Object.values(module).filter(
    (value): value is EventDefinition =>
      typeof value === 'object' &&
      value !== null &&
      'type' in value &&
      'version' in value &&
      'schema' in value,
  );
}

/** Every event definition, keyed `type@version`: for validation on consume and for documentation. */
export const eventCatalogue: ReadonlyMap<string, EventDefinition> = new Map(
  [
    ...definitionsOf(orders),
    ...definitionsOf(identity),
    ...definitionsOf(catalog),
    ...definitionsOf(payments),
    ...definitionsOf(invoices),
    ...definitionsOf(migration),
  ].map((d) => [`${d.type}@${d.version}`, d]),
);
