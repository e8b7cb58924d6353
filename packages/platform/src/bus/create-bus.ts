import type { Logger } from 'pino';
import type { EventBus } from './event-bus.ts';
import { InMemoryBus } from './memory-bus.ts';
import { RabbitBus } from './rabbitmq-bus.ts';

/** Where events go, from configuration. */
export interface BusSettings {
  /** `amqp://…`: RabbitMQ. */
  readonly rabbitmqUrl?: string;
  /** Comma-separated `host:port` list: Kafka (when no RabbitMQ URL is given). */
  readonly kafkaBrokers?: string;
  /** Prefix of exchange, queue and topic names. */
  readonly namespace?: string;
  /** Who connects, shown in the broker's tools. */
  readonly clientName: string;
  readonly logger: Logger;
}

/**
 * The bus the configuration asks for: RabbitMQ when `rabbitmqUrl` is set, else Kafka when
 * `kafkaBrokers` is set, else the in-process bus (embedded mode, single process only).
 */
export async function createBus(settings: BusSettings): Promise<EventBus> {
  if (settings.rabbitmqUrl) {
    return RabbitBus.connect({
      url: settings.rabbitmqUrl,
      logger: settings.logger,
      connectionName: settings.clientName,
      ...(settings.namespace === undefined ? {} : { namespace: settings.namespace }),
    });
  }
  if (settings.kafkaBrokers) {
    const { KafkaBus } = await import('./kafka-bus.ts');
    return KafkaBus.connect({
      brokers: settings.kafkaBrokers.split(',').map((broker) => broker.trim()),
      clientId: settings.clientName,
      logger: settings.logger,
      ...(settings.namespace === undefined ? {} : { namespace: settings.namespace }),
    });
  }
  return new InMemoryBus({ logger: settings.logger });
}
