import { z } from 'zod';
import { authConfigSchema } from '../auth/auth-config.ts';
import { machineTokenConfigSchema } from '../auth/machine-tokens.ts';
import { flag, logLevel, optionalUrl, positiveInt } from '../config/fields.ts';

/**
 * Configuration every service process shares; a service adds its own port (`ORDERS_PORT`) and
 * settings with `.extend()`.
 */
export const serviceProcessConfigSchema = z.object({
  HOST: z
    .string()
    .default('0.0.0.0')
    .describe('Interface to listen on; `0.0.0.0` makes it reachable from other machines.'),
  DATABASE_URL: z
    .string()
    .regex(/^(postgres(ql)?:\/\/|pglite:)/, 'Must be a postgres:// URL or pglite:<dir>')
    .describe('PostgreSQL URL (or `pglite:<dir>`) of the database holding the service schemas.'),
  DATABASE_POOL_SIZE: positiveInt(10, 'Most PostgreSQL connections per process.'),
  LOG_LEVEL: logLevel,
  MIGRATE_ON_START: flag(false, 'Apply pending migrations at start; embedded mode always does.'),
  RABBITMQ_URL: optionalUrl(
    ['amqp', 'amqps'],
    'RabbitMQ URL of the event bus (`amqp://user:password@host:5672`).',
  ),
  KAFKA_BROKERS: z
    .string()
    .regex(/^[^,\s]+(,[^,\s]+)*$/, 'Must be a comma-separated list of host:port')
    .optional()
    .describe('Kafka brokers (`host:port,…`) of the event bus, used when `RABBITMQ_URL` is not set.'),
  BUS_NAMESPACE: z
    .string()
    .regex(/^[a-z][a-z0-9-]*$/)
    .default('only')
    .describe('Prefix of the event bus exchange, queue and topic names.'),
  REDIS_URL: optionalUrl(
    ['redis', 'rediss'],
    'Redis URL of the shared cache; an in-process cache without it.',
  ),
  CACHE_PREFIX: z.string().default('only:').describe('Prefix of every cache key in Redis.'),
  ...authConfigSchema.shape,
  ...machineTokenConfigSchema.shape,
});

/** The shared part of a service process's configuration. */
export type ServiceProcessConfig = z.output<typeof serviceProcessConfigSchema>;
