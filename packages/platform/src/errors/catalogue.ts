import { AppError, type ErrorSpec } from './app-error.ts';

/** A factory per error code: call it with a detail (and extra problem members) to get an `AppError`. */
export type ErrorFactories<T extends Record<string, ErrorSpec>> = {
  readonly [K in keyof T]: (detail?: string, extensions?: Record<string, unknown>) => AppError;
};

/** A registered error code with its spec, as listed at `/problems`. */
export interface CatalogueEntry extends ErrorSpec {
  readonly code: string;
}

const registry = new Map<string, CatalogueEntry>();

/**
 * Declares the error codes of one service (or of the platform). Codes are `<namespace>.<name>`,
 * registered globally so that `/problems/<code>` can document every one of them.
 *
 * @example
 * const errors = defineErrors('orders', { order_not_found: { status: 404, title: 'Order not found' } });
 * throw errors.order_not_found(`No order ${id}`);
 */
export function defineErrors<const T extends Record<string, ErrorSpec>>(
  namespace: string,
  specs: T,
): ErrorFactories<T> {
  const factories: Record<string, (detail?: string, extensions?: Record<string, unknown>) => AppError> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const code = `${namespace}.${name}`;
    registry.set(code, { code, ...spec });
    factories[name] = (detail, extensions) => new AppError(code, spec, detail, extensions);
  }
  return factories as ErrorFactories<T>;
}

/** Every error code defined so far, sorted by code. */
export function errorCatalogue(): CatalogueEntry[] {
  return [...registry.values()].sort((a, b) => a.code.localeCompare(b.code));
}

/** The spec of one code, if defined. */
export function findErrorSpec(code: string): CatalogueEntry | undefined {
  return registry.get(code);
}
