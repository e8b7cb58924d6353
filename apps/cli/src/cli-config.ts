import { edgeLimitsConfigSchema } from '@only/gateway';
import { flag, logLevel, port } from '@only/platform/config';
import { serviceProcessConfigSchema } from '@only/platform/service';
import { z } from 'zod';

/** Configuration of `only start` (embedded mode); command-line flags override it. */
export const embeddedConfigSchema = z.object({
  DATA_DIR: z
    .string()
    .default('./data')
    .describe('Where embedded mode keeps its PGlite database (`memory` keeps nothing).'),
  GATEWAY_PORT: port(8080, 'Port the gateway listens on.'),
  HOST: z
    .string()
    .default('127.0.0.1')
    .describe('Interface to listen on; `0.0.0.0` makes it reachable from other machines.'),
  LOG_LEVEL: logLevel,
  PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe(
      'Base URL clients reach the platform at; access tokens are issued by `<PUBLIC_URL>/api/identity`. Default `http://localhost:<GATEWAY_PORT>`.',
    ),
  SEED_DEMO_DATA: flag(
    true,
    'Create the demo tenants, their users, customers and orders on the first start.',
  ),
  ...edgeLimitsConfigSchema.shape,
});

/** Configuration of `only db migrate` and `only seed`. */
export const databaseCommandConfigSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^(postgres(ql)?:\/\/|pglite:)/, 'Must be a postgres:// URL or pglite:<dir>')
    .optional()
    .describe('PostgreSQL URL (or `pglite:<dir>`) of the database holding the service schemas.'),
  LOG_LEVEL: logLevel,
});

/** Configuration of the commands that talk to the broker: `only events replay`, `only dlq …`. */
export const busCommandConfigSchema = serviceProcessConfigSchema
  .pick({ RABBITMQ_URL: true, KAFKA_BROKERS: true, BUS_NAMESPACE: true, LOG_LEVEL: true })
  .extend({ DATABASE_URL: serviceProcessConfigSchema.shape.DATABASE_URL.optional() })
  .refine((config) => config.RABBITMQ_URL !== undefined || config.KAFKA_BROKERS !== undefined, {
    message: 'Set RABBITMQ_URL (or KAFKA_BROKERS): events go to a broker, not to this process',
    path: ['RABBITMQ_URL'],
  });

/** Configuration of `only start --distributed` (each process reads the rest of its own). */
export const clusterConfigSchema = serviceProcessConfigSchema
  .pick({ RABBITMQ_URL: true, KAFKA_BROKERS: true, REDIS_URL: true, BUS_NAMESPACE: true, LOG_LEVEL: true })
  .extend({
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'Must be a postgres:// URL: processes cannot share an embedded PGlite')
      .describe('PostgreSQL URL of the database holding the service schemas.'),
    GATEWAY_PORT: port(8080, 'Port the gateway listens on.'),
  })
  .refine((config) => config.RABBITMQ_URL !== undefined || config.KAFKA_BROKERS !== undefined, {
    message: 'Set RABBITMQ_URL (or KAFKA_BROKERS): the processes of a cluster talk through a broker',
    path: ['RABBITMQ_URL'],
  });
