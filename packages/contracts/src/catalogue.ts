import type { EventDefinition } from './envelope.ts';
import * as identity from './events/identity/index.ts';
import * as orders from './events/orders/index.ts';

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
  [...definitionsOf(orders), ...definitionsOf(identity)].map((d) => [`${d.type}@${d.version}`, d]),
);
