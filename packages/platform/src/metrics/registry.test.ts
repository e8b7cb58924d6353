import { describe, expect, it } from 'vitest';
import { counter, gauge, histogram, metricsRegistry } from './registry.ts';

describe('metrics registry', () => {
  it('creates an instrument once per name and hands the same one out again', async () => {
    const first = counter('registrytest_things_total', 'Things.', ['kind']);
    const again = counter('registrytest_things_total', 'Things.', ['kind']);
    expect(again).toBe(first);
    first.inc({ kind: 'a' });
    again.inc({ kind: 'a' }, 2);
    const text = await metricsRegistry.metrics();
    expect(text).toContain('registrytest_things_total{kind="a"} 3');
  });

  it('gauges and histograms are shared the same way and exported', async () => {
    const g = gauge('registrytest_queue_depth', 'Depth.', ['queue']);
    expect(gauge('registrytest_queue_depth', 'Depth.', ['queue'])).toBe(g);
    g.set({ queue: 'q' }, 7);
    const h = histogram('registrytest_seconds', 'Seconds.', ['op'], [0.1, 1]);
    expect(histogram('registrytest_seconds', 'Seconds.', ['op'], [0.1, 1])).toBe(h);
    h.observe({ op: 'x' }, 0.5);
    const text = await metricsRegistry.metrics();
    expect(text).toContain('registrytest_queue_depth{queue="q"} 7');
    expect(text).toContain('registrytest_seconds_bucket{le="0.1",op="x"} 0');
    expect(text).toContain('registrytest_seconds_bucket{le="1",op="x"} 1');
    expect(text).toContain('registrytest_seconds_count{op="x"} 1');
  });

  it('refuses to reuse a name for another kind of instrument', () => {
    counter('registrytest_conflict', 'A counter.', []);
    expect(() => gauge('registrytest_conflict', 'Now a gauge?', [])).toThrow(
      'Metric registrytest_conflict is already registered as another kind',
    );
    expect(() => histogram('registrytest_conflict', 'Or a histogram?', [], [1])).toThrow(/another kind/);
  });
});
