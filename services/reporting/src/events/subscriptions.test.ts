import { describe, expect, it } from 'vitest';
import { reportingConsumers, reportingHandlers } from './subscriptions.ts';

describe('reporting subscriptions', () => {
  it('provisions its queue with exactly the event types it handles', () => {
    const handled = Object.keys(
      reportingHandlers({
        orders: { apply: () => Promise.resolve() } as never,
        customers: { apply: () => Promise.resolve() } as never,
      }),
    );
    expect([...reportingConsumers[0].patterns].sort()).toEqual(handled.sort());
  });
});
