/**
 * Event bus: one interface, transports in-process (here), RabbitMQ and Kafka.
 * @module
 */
export {
  DEFAULT_RETRY_POLICY,
  type DeadLetter,
  type Delivery,
  type EventBus,
  type EventHandler,
  type MessageHeaders,
  type RetryPolicy,
  type Subscription,
} from './event-bus.ts';
export { InMemoryBus, type InMemoryBusOptions } from './memory-bus.ts';
export { compileTopicPattern } from './topic-pattern.ts';
export { routeEvents, type EventHandlers } from './event-router.ts';
export { busMetrics } from './bus-metrics.ts';
export { RabbitBus, type RabbitBusOptions } from './rabbitmq-bus.ts';
export {
  KafkaBus,
  KafkaNames,
  KAFKA_BUS_HEADERS,
  parseKafkaBrokers,
  type KafkaBusConnectOptions,
  type KafkaBusOptions,
  type KafkaClient,
  type KafkaConsumer,
  type KafkaProducer,
} from './kafka-bus.ts';
export { consumerTopology, type ConsumerTopology } from './rabbitmq-topology.ts';
export { createBus, type BusSettings } from './create-bus.ts';
