/**
 * Metrics: one Prometheus registry per process and get-or-create helpers for instruments.
 * @module
 */
export { metricsRegistry, collectProcessMetrics, counter, gauge, histogram } from './registry.ts';
