import { describe, expect, it } from 'vitest';
import { compileTopicPattern } from './topic-pattern.ts';

describe('compileTopicPattern', () => {
  it.each([
    ['orders.order.placed', 'orders.order.placed', true],
    ['orders.order.*', 'orders.order.placed', true],
    ['orders.order.*', 'orders.order', false],
    ['orders.#', 'orders.order.placed', true],
    ['orders.#', 'orders', true],
    ['#', 'anything.at.all', true],
    ['*.order.*', 'orders.order.cancelled', true],
    ['*.order.*', 'orders.customer.created', false],
    ['orders.#.placed', 'orders.order.placed', true],
    ['orders.#.placed', 'orders.placed', true],
    ['orders.#.placed', 'orders.order.cancelled', false],
  ])('%s matches %s: %s', (pattern, key, expected) => {
    expect(compileTopicPattern(pattern)(key)).toBe(expected);
  });
});
