import { counter, histogram } from '../metrics/index.ts';

/** Instruments shared by every bus transport, so dashboards do not care which one runs. */
export const busMetrics = {
  published: counter('only_bus_published_total', 'Events accepted by the bus transport.', [
    'transport',
    'type',
  ]),
  consumed: counter('only_bus_consumed_total', 'Event deliveries handled, by outcome.', [
    'transport',
    'consumer',
    'outcome',
  ]),
  deadLettered: counter(
    'only_bus_dead_lettered_total',
    'Events parked in a dead-letter queue after every retry.',
    ['transport', 'consumer'],
  ),
  handlerSeconds: histogram(
    'only_bus_handler_duration_seconds',
    'Time spent in event handlers.',
    ['transport', 'consumer'],
    [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  ),
  endToEndSeconds: histogram(
    'only_bus_end_to_end_seconds',
    'From the event occurring to its handler finishing.',
    ['transport', 'consumer'],
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  ),
};
