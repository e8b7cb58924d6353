import { counter } from '@only/platform/metrics';

/** Instruments of the order saga: how sagas end, how often steps are retried or recovered. */
export const sagaMetrics = {
  ended: counter(
    'only_order_sagas_ended_total',
    'Order sagas that ended, by outcome; `attention` needs a person (alert on it).',
    ['outcome'],
  ),
  retried: counter(
    'only_order_saga_retries_total',
    'Saga steps that failed for a transient reason and were scheduled again, by phase.',
    ['phase'],
  ),
  recovered: counter(
    'only_order_sagas_recovered_total',
    'Sagas taken up by recovery: interrupted (their process stopped) or due for a retry.',
    [],
  ),
};
