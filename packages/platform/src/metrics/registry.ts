import { Counter, Gauge, Histogram, register, collectDefaultMetrics, type Registry } from 'prom-client';

/** The process-wide Prometheus registry, scraped at `/metrics`. */
export const metricsRegistry: Registry = register;

let defaultsCollected = false;

/** Starts the process metrics (CPU, memory, event loop lag, GC) once per process. */
export function collectProcessMetrics(): void {
  if (defaultsCollected) return;
  defaultsCollected = true;
  collectDefaultMetrics({ register: metricsRegistry });
}

/** The metric registered under `name`, refusing one of another kind. */
function existing(name: string, kind: new (...args: never[]) => unknown): unknown {
  const metric = metricsRegistry.getSingleMetric(name);
  if (metric !== undefined && !(metric instanceof kind)) {
    throw new Error(`Metric ${name} is already registered as another kind`);
  }
  return metric;
}

/**
 * A counter, created once per process: many service instances in one process (embedded mode,
 * tests) share it instead of failing on duplicate registration.
 */
export function counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
  return (
    (existing(name, Counter) as Counter<L> | undefined) ??
    new Counter({ name, help, labelNames, registers: [metricsRegistry] })
  );
}

/** A gauge, created once per process (see {@link counter}). */
export function gauge<L extends string>(name: string, help: string, labelNames: readonly L[]): Gauge<L> {
  return (
    (existing(name, Gauge) as Gauge<L> | undefined) ??
    new Gauge({ name, help, labelNames, registers: [metricsRegistry] })
  );
}

/** A histogram, created once per process (see {@link counter}). */
export function histogram<L extends string>(
  name: string,
  help: string,
  labelNames: readonly L[],
  buckets: readonly number[],
): Histogram<L> {
  return (
    (existing(name, Histogram) as Histogram<L> | undefined) ??
    new Histogram({ name, help, labelNames, buckets: [...buckets], registers: [metricsRegistry] })
  );
}
