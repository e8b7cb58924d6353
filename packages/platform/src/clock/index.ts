/**
 * Clock: the time source services depend on.
 * @module
 */
export { systemClock, type Clock } from './clock.ts';
