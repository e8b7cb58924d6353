import { describe, expect, it } from 'vitest';
import { applyCustomerFact } from './customers.projection.ts';

const createdAt = new Date('2026-03-01T10:00:00Z');
const deletedAt = new Date('2026-03-05T10:00:00Z');

describe('applyCustomerFact', () => {
  it('ends in the same state whichever of creation and deletion comes first', () => {
    const createdFirst = applyCustomerFact(applyCustomerFact(undefined, { createdAt }), { deletedAt });
    const deletedFirst = applyCustomerFact(applyCustomerFact(undefined, { deletedAt }), { createdAt });
    expect(createdFirst).toEqual({ createdAt, deletedAt });
    expect(deletedFirst).toEqual(createdFirst);
  });

  it('keeps the first timestamp seen when an event comes again', () => {
    const state = applyCustomerFact(undefined, { createdAt });
    expect(applyCustomerFact(state, { createdAt: new Date('2027-01-01T00:00:00Z') })).toEqual(state);
  });
});
